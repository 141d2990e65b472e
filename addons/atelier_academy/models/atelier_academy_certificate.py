# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import base64
import hashlib
import io
import json
import secrets
from urllib.parse import urlsplit

import qrcode

from odoo import api, fields, models
from odoo.tools import SQL

from ..tools import credential as vc

OB3_CONTEXT = [
    "https://www.w3.org/ns/credentials/v2",
    "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
]
KEY_PARAM = "atelier_academy.issuer_private_key.%s"
CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


class AtelierAcademyCertificate(models.Model):
    """A certificate of a completed path, verifiable three ways.

    A QWeb PDF with a verification code and a QR code, a public page
    (/academy/verify/<code>), and an Open Badges 3.0 credential signed with
    the company's Ed25519 key (``eddsa-jcs-2022``).
    """

    _name = "atelier.academy.certificate"
    _description = "Academy certificate"
    _order = "issue_date desc, id desc"
    _rec_name = "verification_code"

    enrolment_id = fields.Many2one(
        "atelier.academy.enrolment", required=True, ondelete="restrict", index=True
    )
    partner_id = fields.Many2one(
        related="enrolment_id.partner_id", store=True, index=True, string="Learner"
    )
    path_id = fields.Many2one(related="enrolment_id.path_id", store=True)
    company_id = fields.Many2one(related="enrolment_id.company_id", store=True)
    verification_code = fields.Char(
        required=True, readonly=True, copy=False, default=lambda self: self._new_code()
    )
    # what the certificate states, frozen at issue
    learner_name = fields.Char(readonly=True)
    path_name = fields.Char(readonly=True)
    issue_date = fields.Datetime(
        required=True, readonly=True, default=fields.Datetime.now
    )
    measured_minutes = fields.Integer("Measured time (min)", readonly=True)
    competency_ids = fields.Many2many("atelier.academy.competency", readonly=True)
    state = fields.Selection(
        [("valid", "Valid"), ("revoked", "Revoked")],
        required=True,
        default="valid",
        index=True,
    )
    revoked_date = fields.Datetime(readonly=True)
    revoke_reason = fields.Char(readonly=True)
    credential_json = fields.Text("Open Badges credential", readonly=True)

    _code_uniq = models.Constraint(
        "UNIQUE (verification_code)", "Verification codes are unique."
    )

    @api.model
    def _new_code(self):
        return "-".join(
            "".join(secrets.choice(CODE_ALPHABET) for _i in range(4)) for _j in range(4)
        )

    @api.model_create_multi
    def create(self, vals_list):
        certificates = super().create(vals_list)
        for certificate in certificates:
            enrolment = certificate.enrolment_id
            progress = enrolment._atelier_path_progress()[enrolment.id]
            certificate.write(
                {
                    "learner_name": enrolment.partner_id.name,
                    "path_name": enrolment.path_id.name,
                    "measured_minutes": progress["seconds"] // 60,
                    "competency_ids": [
                        fields.Command.set(certificate._atelier_path_competencies().ids)
                    ],
                }
            )
        return certificates

    # ------------------------------------------------------------------
    # URLs
    # ------------------------------------------------------------------
    def _atelier_base_url(self):
        return self.env["ir.config_parameter"].sudo().get_param("web.base.url", "")

    def _atelier_verify_url(self):
        self.ensure_one()
        return f"{self._atelier_base_url()}/academy/verify/{self.verification_code}"

    @api.model
    def _atelier_issuer_did(self):
        """did:web of the academy: resolved at <base url>/academy/did.json."""
        netloc = urlsplit(self._atelier_base_url()).netloc or "localhost"
        return f"did:web:{netloc.replace(':', '%3A')}:academy"

    def _atelier_qr_data_uri(self):
        self.ensure_one()
        image = qrcode.make(self._atelier_verify_url(), box_size=6, border=2)
        buffer = io.BytesIO()
        image.save(buffer, format="PNG")
        return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode()

    # ------------------------------------------------------------------
    # Issuer key (generated once per company, readable by admins only)
    # ------------------------------------------------------------------
    @api.model
    def _atelier_issuer_private_key(self, company=None):
        company = company or self.env.company
        params = self.env["ir.config_parameter"].sudo()
        key = KEY_PARAM % company.id
        pem = params.get_param(key)
        if not pem:
            self.env.cr.execute(SQL("SELECT pg_advisory_xact_lock(hashtext(%s))", key))
            pem = params.get_param(key)
            if not pem:
                pem = vc.generate_private_key_pem()
                params.set_param(key, pem)
        return pem

    @api.model
    def _atelier_issuer_public_key(self, company=None):
        return vc.public_key_raw(self._atelier_issuer_private_key(company))

    @api.model
    def _atelier_did_document(self, company=None):
        did = self._atelier_issuer_did()
        key_id = f"{did}#key-1"
        return {
            "@context": [
                "https://www.w3.org/ns/did/v1",
                "https://w3id.org/security/multikey/v1",
            ],
            "id": did,
            "verificationMethod": [
                {
                    "id": key_id,
                    "type": "Multikey",
                    "controller": did,
                    "publicKeyMultibase": vc.public_key_multibase(
                        self._atelier_issuer_public_key(company)
                    ),
                }
            ],
            "assertionMethod": [key_id],
        }

    @api.model
    def _atelier_jwks(self, company=None):
        did = self._atelier_issuer_did()
        return {
            "keys": [
                vc.public_jwk(self._atelier_issuer_public_key(company), f"{did}#key-1")
            ]
        }

    # ------------------------------------------------------------------
    # Credential
    # ------------------------------------------------------------------
    def _atelier_path_competencies(self):
        """Competencies of the quizzes and exams of the path's courses."""
        self.ensure_one()
        channels = self.enrolment_id.path_id.line_ids.channel_id
        slides = (
            self.env["slide.slide"].sudo().search([("channel_id", "in", channels.ids)])
        )
        return (
            slides.question_ids.atelier_competency_ids
            | slides.survey_id.question_ids.atelier_competency_ids
        )

    def _atelier_credential_payload(self):
        self.ensure_one()
        base = self._atelier_base_url()
        company = self.company_id or self.env.company
        email = (self.partner_id.email or "").strip().lower()
        salt = hashlib.sha256(f"{self.verification_code}:salt".encode()).hexdigest()[
            :16
        ]
        subject = {
            "type": ["AchievementSubject"],
            "achievement": {
                "id": f"{base}/academy/achievement/path-{self.path_id.id}",
                "type": ["Achievement"],
                "name": self.path_name,
                "description": self.path_id.description or self.path_name,
                "criteria": {
                    "narrative": self.env._(
                        "Every course of the path passed with its minimum score, the "
                        "exams scored by the server and at least %(minutes)s minutes "
                        "of measured work.",
                        minutes=self.path_id.min_minutes,
                    )
                },
                "alignment": [
                    {
                        "type": ["Alignment"],
                        "targetName": competency.name,
                        "targetCode": competency.code,
                        "targetType": "ext:Competency",
                        "targetUrl": f"{base}/academy/competencies#{competency.code}",
                    }
                    for competency in self.competency_ids.sorted("code")
                ],
            },
            "identifier": [
                {
                    "type": "IdentityObject",
                    "identityType": "name",
                    "hashed": False,
                    "identityHash": self.learner_name,
                }
            ],
        }
        if email:
            subject["identifier"].append(
                {
                    "type": "IdentityObject",
                    "identityType": "emailAddress",
                    "hashed": True,
                    "salt": salt,
                    "identityHash": "sha256$"
                    + hashlib.sha256(f"{email}{salt}".encode()).hexdigest(),
                }
            )
        return {
            "@context": OB3_CONTEXT,
            "id": f"{base}/academy/credential/{self.verification_code}",
            "type": ["VerifiableCredential", "OpenBadgeCredential"],
            "issuer": {
                "id": self._atelier_issuer_did(),
                "type": ["Profile"],
                "name": company.name,
                "url": base,
            },
            "validFrom": self.issue_date.strftime("%Y-%m-%dT%H:%M:%SZ"),
            "name": self.path_name,
            "credentialSubject": subject,
        }

    def _atelier_sign(self):
        for certificate in self:
            company = certificate.company_id or self.env.company
            signed = vc.sign_credential(
                certificate._atelier_credential_payload(),
                self._atelier_issuer_private_key(company),
                f"{self._atelier_issuer_did()}#key-1",
                fields.Datetime.now().strftime("%Y-%m-%dT%H:%M:%SZ"),
            )
            certificate.sudo().credential_json = json.dumps(
                signed, ensure_ascii=False, indent=2
            )

    @api.model
    def _atelier_verify_credential(self, credential, company=None):
        """True if ``credential`` (dict or JSON) carries our valid signature.

        Raises ``CredentialError`` on a tampered or forged credential.
        """
        if isinstance(credential, str | bytes):
            try:
                credential = json.loads(credential)
            except ValueError as exc:
                raise vc.CredentialError("the credential is not JSON") from exc
        proof = credential.get("proof") if isinstance(credential, dict) else None
        expected = f"{self._atelier_issuer_did()}#key-1"
        if not isinstance(proof, dict) or proof.get("verificationMethod") != expected:
            raise vc.CredentialError("the credential was not issued by this academy")
        return vc.verify_credential(
            credential, self._atelier_issuer_public_key(company)
        )

    # ------------------------------------------------------------------
    # Revocation
    # ------------------------------------------------------------------
    def _atelier_revoke(self, reason):
        self.filtered(lambda c: c.state == "valid").sudo().write(
            {
                "state": "revoked",
                "revoke_reason": reason,
                "revoked_date": fields.Datetime.now(),
            }
        )

    def action_download_pdf(self):
        self.ensure_one()
        self.check_access("read")
        return {
            "type": "ir.actions.act_url",
            "url": f"/my/academy/certificate/{self.id}/pdf",
            "target": "new",
        }
