# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import json
import re

from odoo.exceptions import AccessError, UserError
from odoo.tests import HttpCase, tagged

from .common import AtelierCrmCommon

CSRF_RE = re.compile(r'name="csrf_token" value="([^"]+)"')


@tagged("post_install", "-at_install")
class TestGdpr(AtelierCrmCommon, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_crm("gdpr")
        cls.partner = cls.portal.partner_id
        cls.partner.write({"phone": "06 55 44 33 22", "city": "Lyon", "zip": "69002"})
        cls.lead = cls.Lead._atelier_capture(
            {
                "name": cls.partner.name,
                "email": cls.partner.email,
                "message": "Je veux réserver un diagnostic.",
            },
            "website_form",
            consents={"sequence": ("granted", "Conseils par e-mail.")},
            client_ip="192.0.2.10",
        )
        cls.sequence._atelier_enrol(cls.lead)
        cls.lead.message_post(body="Appelée le 3 mars, rappeler jeudi.")
        cls.other = cls._lead("Quelqu'un d'autre", "autre.client@example.com")

    def test_export_has_everything_and_only_them(self):
        data = json.loads(
            self.partner.with_user(self.manager)._atelier_gdpr_export("backoffice")
        )
        self.assertEqual(data["contact"]["email"], self.partner.email)
        self.assertEqual(data["contact"]["phone"], "06 55 44 33 22")
        self.assertEqual([lead["id"] for lead in data["leads"]], [self.lead.id])
        self.assertEqual(data["leads"][0]["way_in"], "Website form")
        self.assertTrue(data["leads"][0]["score_lines"])
        self.assertEqual(
            [(c["purpose"], c["action"], c["text_shown"]) for c in data["consents"]],
            [("sequence", "granted", "Conseils par e-mail.")],
        )
        self.assertEqual(data["sequences"][0]["state"], "active")
        bodies = " ".join(m["body"] or "" for m in data["messages"])
        self.assertIn("rappeler jeudi", bodies)
        self.assertNotIn("autre.client@example.com", json.dumps(data))
        log = self.env["atelier.crm.gdpr.log"].search(
            [("partner_id", "=", self.partner.id)]
        )
        self.assertEqual(
            (log.action, log.channel, log.user_id),
            ("export", "backoffice", self.manager),
        )

    def test_back_office_rights(self):
        with self.assertRaises(AccessError):
            self.partner.with_user(self.sales1).action_atelier_gdpr_export()
        with self.assertRaises(AccessError):
            self.partner.with_user(self.sales1).action_atelier_gdpr_erase()
        action = self.partner.with_user(self.manager).action_atelier_gdpr_erase()
        wizard = (
            self.env[action["res_model"]]
            .with_user(self.manager)
            .with_context(**action["context"])
            .create({"confirmation": "wrong name"})
        )
        with self.assertRaises(UserError):
            wizard.action_erase()
        self.assertEqual(self.partner.email, "gdpr.portal@example.com")
        with self.assertRaises(UserError):
            self.manager.partner_id._atelier_gdpr_erase("backoffice")

    def test_erase_from_the_back_office(self):
        email = self.partner.email
        action = self.partner.with_user(self.manager).action_atelier_gdpr_erase()
        wizard = (
            self.env[action["res_model"]]
            .with_user(self.manager)
            .with_context(**action["context"])
            .create({"confirmation": self.partner.name})
        )
        wizard.action_erase()
        self._check_erased(email, "backoffice")

    def _check_erased(self, email, channel):
        partner = self.partner.with_context(active_test=False)
        self.assertTrue(partner.name.startswith("Anonymised contact"))
        self.assertFalse(partner.email or partner.phone or partner.city or partner.zip)
        self.assertFalse(partner.atelier_phone_index_ids)
        lead = self.lead.with_context(active_test=False)
        self.assertFalse(lead.email_from or lead.contact_name or lead.description)
        self.assertTrue(lead.name.startswith("Anonymised lead"))
        self.assertEqual(lead.atelier_enrolment_ids.stop_reason, "erased")
        for message in lead.message_ids | partner.message_ids:
            self.assertNotIn("rappeler jeudi", message.body or "")
        self.assertFalse(self.Consent.search([("email", "=", email)]))
        self.assertTrue(self.Consent.search([("email", "like", "erased-")]))
        self.assertFalse(
            self.env["res.partner"].search([("email_normalized", "=", email)])
        )
        self.assertFalse(self.portal.with_context(active_test=False).active)
        log = self.env["atelier.crm.gdpr.log"].search(
            [("partner_id", "=", partner.id), ("action", "=", "erase")]
        )
        self.assertEqual(log.channel, channel)
        self.assertIn("leads: 1", log.summary)
        # the other contact is untouched
        self.assertEqual(self.other.email_from, "autre.client@example.com")

    def test_portal_sees_downloads_and_erases_own_data(self):
        email = self.partner.email
        self.authenticate(self.portal.login, self.portal.login)
        page = self.url_open("/my/privacy")
        self.assertEqual(page.status_code, 200)
        self.assertIn("o_atelier_privacy_summary", page.text)
        export = self.url_open("/my/privacy/export")
        self.assertEqual(export.status_code, 200)
        data = export.json()
        self.assertEqual(data["contact"]["email"], email)
        self.assertEqual(len(data["leads"]), 1)
        # another contact's export is not reachable from the portal
        self.assertEqual(
            self.url_open(
                f"/atelier/crm/gdpr/{self.other.partner_id.id}/export"
            ).status_code,
            403,
        )
        token = CSRF_RE.search(page.text).group(1)
        wrong = self.url_open(
            "/my/privacy/erase",
            data={"csrf_token": token, "login": self.portal.login, "password": "nope"},
        )
        self.assertEqual(wrong.status_code, 403)
        self.assertEqual(self.partner.email, email, "nothing erased")
        done = self.url_open(
            "/my/privacy/erase",
            data={
                "csrf_token": token,
                "login": self.portal.login,
                "password": self.portal.login,
            },
        )
        self.assertEqual(done.status_code, 200)
        self.assertIn("o_atelier_privacy_erased", done.text)
        self._check_erased(email, "portal")
