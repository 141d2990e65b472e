# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Open Badges 3.0 credentials signed with Ed25519 (``eddsa-jcs-2022``).

Plain Python, no Odoo: the key pair, JSON canonicalization (RFC 8785, for
the JSON we emit: strings, integers, booleans, null, lists and objects),
base58-btc multibase, signing and verification of a W3C Verifiable
Credential with a Data Integrity proof.
"""

import base64
import hashlib
import json
import math

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey,
    Ed25519PublicKey,
)

CRYPTOSUITE = "eddsa-jcs-2022"
# multicodec prefix of an Ed25519 public key in a Multikey
_ED25519_PUB_PREFIX = b"\xed\x01"
_B58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"


class CredentialError(ValueError):
    """The credential is malformed or its proof does not verify."""


# ---------------------------------------------------------------------------
# encodings
# ---------------------------------------------------------------------------
def b58encode(data):
    number = int.from_bytes(data, "big")
    out = ""
    while number:
        number, rem = divmod(number, 58)
        out = _B58[rem] + out
    pad = len(data) - len(data.lstrip(b"\0"))
    return "1" * pad + out


def b58decode(text):
    number = 0
    for char in text:
        index = _B58.find(char)
        if index < 0:
            raise CredentialError(f"invalid base58 character {char!r}")
        number = number * 58 + index
    pad = len(text) - len(text.lstrip("1"))
    body = number.to_bytes((number.bit_length() + 7) // 8, "big") if number else b""
    return b"\0" * pad + body


def b64url(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def canonicalize(value):
    """RFC 8785 (JCS) serialization, as UTF-8 bytes."""
    return _jcs(value).encode("utf-8")


def _jcs(value):
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if not math.isfinite(value) or value != int(value) or abs(value) >= 2**53:
            raise CredentialError("only integral numbers are canonicalized")
        return str(int(value))
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, list | tuple):
        return "[" + ",".join(_jcs(item) for item in value) + "]"
    if isinstance(value, dict):
        # keys sorted by their UTF-16 code units
        keys = sorted(value, key=lambda key: key.encode("utf-16-be"))
        return (
            "{"
            + ",".join(
                json.dumps(key, ensure_ascii=False) + ":" + _jcs(value[key])
                for key in keys
            )
            + "}"
        )
    raise CredentialError(f"cannot canonicalize {type(value).__name__}")


# ---------------------------------------------------------------------------
# keys
# ---------------------------------------------------------------------------
def generate_private_key_pem():
    key = Ed25519PrivateKey.generate()
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()


def _private_key(pem):
    key = serialization.load_pem_private_key(pem.encode(), password=None)
    if not isinstance(key, Ed25519PrivateKey):
        raise CredentialError("the issuer key is not an Ed25519 key")
    return key


def public_key_raw(private_pem):
    return (
        _private_key(private_pem)
        .public_key()
        .public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    )


def public_key_multibase(raw_public_key):
    return "z" + b58encode(_ED25519_PUB_PREFIX + raw_public_key)


def public_key_from_multibase(multibase):
    if not multibase.startswith("z"):
        raise CredentialError("only base58-btc multibase keys are supported")
    data = b58decode(multibase[1:])
    if not data.startswith(_ED25519_PUB_PREFIX) or len(data) != 34:
        raise CredentialError("not an Ed25519 Multikey")
    return data[2:]


def public_jwk(raw_public_key, kid):
    return {
        "kty": "OKP",
        "crv": "Ed25519",
        "x": b64url(raw_public_key),
        "kid": kid,
        "use": "sig",
        "alg": "EdDSA",
    }


# ---------------------------------------------------------------------------
# proofs
# ---------------------------------------------------------------------------
def _hash_data(document, proof_options):
    config = dict(proof_options)
    if "@context" in document:
        config["@context"] = document["@context"]
    return (
        hashlib.sha256(canonicalize(config)).digest()
        + hashlib.sha256(canonicalize(document)).digest()
    )


def sign_credential(credential, private_pem, verification_method, created):
    """Return a copy of ``credential`` with an ``eddsa-jcs-2022`` proof."""
    document = {key: val for key, val in credential.items() if key != "proof"}
    options = {
        "type": "DataIntegrityProof",
        "cryptosuite": CRYPTOSUITE,
        "created": created,
        "verificationMethod": verification_method,
        "proofPurpose": "assertionMethod",
    }
    signature = _private_key(private_pem).sign(_hash_data(document, options))
    return dict(document, proof=dict(options, proofValue="z" + b58encode(signature)))


def verify_credential(credential, raw_public_key):
    """Raise CredentialError unless the proof of ``credential`` verifies."""
    if not isinstance(credential, dict) or not isinstance(
        credential.get("proof"), dict
    ):
        raise CredentialError("the credential has no proof")
    proof = credential["proof"]
    if (
        proof.get("type") != "DataIntegrityProof"
        or proof.get("cryptosuite") != CRYPTOSUITE
    ):
        raise CredentialError("unsupported proof type")
    if proof.get("proofPurpose") != "assertionMethod":
        raise CredentialError("unexpected proof purpose")
    value = proof.get("proofValue") or ""
    if not value.startswith("z"):
        raise CredentialError("the proof value is not base58-btc")
    signature = b58decode(value[1:])
    options = {key: val for key, val in proof.items() if key != "proofValue"}
    document = {key: val for key, val in credential.items() if key != "proof"}
    try:
        Ed25519PublicKey.from_public_bytes(raw_public_key).verify(
            signature, _hash_data(document, options)
        )
    except (InvalidSignature, ValueError) as exc:
        raise CredentialError("the signature does not match the credential") from exc
    return True
