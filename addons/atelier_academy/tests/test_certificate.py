# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import copy
import io
import json

from markupsafe import escape
from pypdf import PdfReader

from odoo.exceptions import AccessError
from odoo.tests import HttpCase, tagged

from ..tools import credential as vc
from .common import AcademyFixtures


@tagged("post_install", "-at_install")
class TestCertificate(AcademyFixtures, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_academy("cert")
        # the path needs 1 minute of measured work for the certificate
        cls.path.min_minutes = 1
        cls.enrolment = cls.enrol(cls.learner)
        for course in (cls.course1, cls.course2, cls.course3):
            cls.pass_course(cls.learner, course)
        cls.Certificate = cls.env["atelier.academy.certificate"]

    def test_issued_only_when_nothing_blocks(self):
        # every course passed, but no measured time yet
        self.assertFalse(self.enrolment.certificate_ids)
        self.assertEqual(self.enrolment.state, "active")
        self.assertEqual(
            self.enrolment._atelier_certificate_blockers(),
            ["Measured time: 0 min of the 1 min the path requires."],
        )
        self.add_minutes(self.learner, self.course1["article1"], 1)
        self.env["atelier.academy.enrolment"]._cron_issue_certificates()
        certificate = self.enrolment.certificate_ids
        self.assertEqual(len(certificate), 1)
        self.assertEqual(self.enrolment.state, "done")
        self.assertEqual(certificate.learner_name, "Lina Apprenante")
        self.assertEqual(certificate.measured_minutes, 1)
        self.assertEqual(
            certificate.competency_ids, self.comp_ht | self.comp_can | self.comp_misfire
        )
        # idempotent
        self.enrolment._atelier_issue_certificate()
        self.assertEqual(len(self.enrolment.certificate_ids), 1)
        return certificate

    def issue(self):
        self.path.min_minutes = 0
        self.env["atelier.academy.enrolment"]._cron_issue_certificates()
        return self.enrolment.certificate_ids

    def test_badge_signature(self):
        certificate = self.issue()
        credential = json.loads(certificate.credential_json)
        self.assertEqual(
            credential["type"], ["VerifiableCredential", "OpenBadgeCredential"]
        )
        self.assertEqual(credential["proof"]["cryptosuite"], "eddsa-jcs-2022")
        subject = credential["credentialSubject"]
        self.assertEqual(
            sorted(a["targetCode"] for a in subject["achievement"]["alignment"]),
            sorted((self.comp_ht | self.comp_can | self.comp_misfire).mapped("code")),
        )
        self.assertTrue(
            self.Certificate._atelier_verify_credential(certificate.credential_json)
        )
        # tampered: another name, another competency, a changed date
        for mutate in (
            lambda c: c.update(name="Expert hydrogène"),
            lambda c: c["credentialSubject"]["achievement"]["alignment"].pop(),
            lambda c: c.update(validFrom="2020-01-01T00:00:00Z"),
            lambda c: c["proof"].update(created="2020-01-01T00:00:00Z"),
        ):
            tampered = copy.deepcopy(credential)
            mutate(tampered)
            with self.assertRaises(vc.CredentialError):
                self.Certificate._atelier_verify_credential(tampered)
        # forged with another key
        forged = vc.sign_credential(
            {k: v for k, v in credential.items() if k != "proof"},
            vc.generate_private_key_pem(),
            credential["proof"]["verificationMethod"],
            credential["proof"]["created"],
        )
        with self.assertRaisesRegex(vc.CredentialError, "signature does not match"):
            self.Certificate._atelier_verify_credential(forged)
        # the public key of the DID document and of the JWKS verify it too
        did = self.url_open("/academy/did.json").json()
        key = vc.public_key_from_multibase(
            did["verificationMethod"][0]["publicKeyMultibase"]
        )
        self.assertTrue(vc.verify_credential(credential, key))
        self.assertEqual(
            did["assertionMethod"][0], credential["proof"]["verificationMethod"]
        )
        jwk = self.url_open("/academy/jwks.json").json()["keys"][0]
        self.assertEqual(jwk["x"], vc.b64url(key))
        # the private key is for administrators only
        param = f"atelier_academy.issuer_private_key.{self.env.company.id}"
        with self.assertRaises(AccessError):
            self.env["ir.config_parameter"].with_user(self.manager).search(
                [("key", "=", param)]
            ).read(["value"])
        public = self.url_open(f"/academy/credential/{certificate.verification_code}")
        self.assertEqual(public.json(), credential)

    def test_pdf(self):
        certificate = self.issue()
        report = self.env["ir.actions.report"].with_context(force_report_rendering=True)
        pdf, kind = report._render_qweb_pdf(
            "atelier_academy.action_report_certificate", certificate.ids
        )
        self.assertEqual(kind, "pdf")
        reader = PdfReader(io.BytesIO(pdf))
        self.assertEqual(len(reader.pages), 1)
        text = " ".join(reader.pages[0].extract_text().split())
        self.assertIn("Lina Apprenante", text)
        self.assertIn(self.path.name, text)
        self.assertIn(certificate.verification_code, text)
        self.assertIn(f"/academy/verify/{certificate.verification_code}", text)
        self.assertIn(self.comp_ht.code, text)
        # the QR code is an image on the page
        self.assertTrue(reader.pages[0].images)
        # over HTTP: the owner gets it, another learner does not
        self.authenticate(self.learner.login, self.learner.login)
        response = self.url_open(f"/my/academy/certificate/{certificate.id}/pdf")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.headers["Content-Type"], "application/pdf")
        badge = self.url_open(f"/my/academy/certificate/{certificate.id}/badge.json")
        self.assertEqual(
            badge.json()["id"], json.loads(certificate.credential_json)["id"]
        )
        self.authenticate(self.learner2.login, self.learner2.login)
        self.assertEqual(
            self.url_open(f"/my/academy/certificate/{certificate.id}/pdf").status_code,
            404,
        )
        self.assertEqual(
            self.url_open(
                f"/my/academy/certificate/{certificate.id}/badge.json"
            ).status_code,
            404,
        )
        with self.assertRaises(AccessError):
            certificate.with_user(self.learner2).action_download_pdf()
        self.assertEqual(
            certificate.with_user(self.learner).action_download_pdf()["url"],
            f"/my/academy/certificate/{certificate.id}/pdf",
        )

    def test_verification_page(self):
        certificate = self.issue()
        url = f"/academy/verify/{certificate.verification_code}"
        page = self.url_open(url)  # public, not logged in
        self.assertEqual(page.status_code, 200)
        self.assertIn("o_atelier_verify_valid", page.text)
        self.assertIn("Lina Apprenante", page.text)
        self.assertIn(str(escape(self.path.name)), page.text)
        # nothing more than the certificate states: no e-mail, no scores
        self.assertNotIn(self.learner.email, page.text)
        self.assertNotIn("Score", page.text)
        # lower case and spaces are accepted, garbage is not
        self.assertEqual(
            self.url_open(
                f"/academy/verify?code=+{certificate.verification_code.lower()}+"
            ).status_code,
            200,
        )
        unknown = self.url_open("/academy/verify/ABCD-EFGH-JKLM-NPQR")
        self.assertEqual(unknown.status_code, 404)
        self.assertIn("o_atelier_verify_unknown", unknown.text)
        self.assertEqual(self.url_open("/academy/verify/%3Cscript%3E").status_code, 404)
        self.assertEqual(self.url_open("/academy/credential/nope").status_code, 404)
        # revoked
        self.enrolment._atelier_revoke("Remboursement")
        page = self.url_open(url)
        self.assertIn("o_atelier_verify_revoked", page.text)
        self.assertNotIn("o_atelier_verify_valid", page.text)
