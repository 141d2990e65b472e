# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import re
from datetime import timedelta
from urllib.parse import urlsplit

import requests

from odoo import fields
from odoo.tests import HttpCase, tagged
from odoo.tools import mute_logger

from .common import AtelierCrmCommon, start_dns

HIDDEN_RE = re.compile(r'<input type="hidden" name="([a-z_]+)" value="([^"]*)"')


@tagged("post_install", "-at_install")
class TestPublicForms(AtelierCrmCommon, HttpCase):
    """The public forms over real HTTP, with no cookie jar: every request is
    a fresh ``requests`` call that sends no cookie back."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_crm("pub")
        cls.dns = start_dns(cls)
        cls.env["ir.config_parameter"].sudo().set_param(
            "atelier_crm.form_hourly_limit", "100"
        )
        cls.magnet = cls.env.ref("atelier_crm.lead_magnet_guide_obd")
        cls.Optin = cls.env["atelier.crm.optin"]
        cls.Partner = cls.env["res.partner"]

    # ------------------------------------------------------------------
    def raw(self, method, url, **kw):
        """One HTTP request with no cookie at all (the test harness is told
        to accept requests without its routing cookie)."""
        parts = urlsplit(url)
        url = self.base_url() + parts.path + (f"?{parts.query}" if parts.query else "")
        self.env.flush_all()
        with self.allow_requests(all_requests=True):
            response = requests.request(
                method, url, timeout=20, allow_redirects=False, **kw
            )
        self.env.invalidate_all()
        self.assertNotIn("Cookie", response.request.headers)
        return response

    def get(self, path):
        return self.raw("GET", path)

    def hidden_fields(self, path):
        response = self.get(path)
        self.assertEqual(response.status_code, 200, response.text[:300])
        return dict(HIDDEN_RE.findall(response.text))

    def post(self, path, data, page=None):
        fields_ = self.hidden_fields(page or path.split("?")[0])
        fields_.update(data)
        return self.raw("POST", path, data=fields_)

    def counts(self):
        return (
            self.Lead.search_count([]),
            self.Partner.search_count([]),
            self.Optin.search_count([]),
            self.Consent.search_count([]),
        )

    def contact(self, **data):
        values = {
            "name": "Zoé Martin",
            "email": "zoe.martin@example.fr",
            "message": "Mon voyant moteur clignote.",
        }
        values.update(data)
        return self.post("/atelier/contact", values)

    # ------------------------------------------------------------------
    def test_contact_form_attribution_without_cookies(self):
        hidden = self.hidden_fields(
            "/atelier/contact?utm_source=Salon%20Auto&utm_campaign=Printemps%202027"
            "&utm_medium=Affiche&ref=PARRAIN-7"
        )
        self.assertEqual(hidden["utm_source"], "Salon Auto")
        self.assertEqual(hidden["ref"], "PARRAIN-7")
        self.assertEqual(hidden["landing"], "/atelier/contact")
        data = dict(
            hidden,
            name="Zoé Martin",
            email="Zoe.Martin@Example.fr",
            phone="06 11 22 33 99",
            zip="69007",
            profile="learner",
            message="Je cherche une formation au diagnostic.",
        )
        response = self.raw("POST", "/atelier/contact", data=data)
        self.assertEqual(response.status_code, 200, response.text[:500])
        self.assertIn("o_atelier_crm_thanks", response.text)
        lead = self.Lead.search([("email_normalized", "=", "zoe.martin@example.fr")])
        self.assertEqual(len(lead), 1)
        self.assertEqual(lead.source_id.name, "Salon Auto")
        self.assertEqual(lead.campaign_id.name, "Printemps 2027")
        self.assertEqual(lead.medium_id.name, "Affiche")
        self.assertEqual(lead.atelier_referral_code, "PARRAIN-7")
        self.assertEqual(lead.atelier_landing_page, "/atelier/contact")
        self.assertEqual(lead.atelier_channel, "website_form")
        self.assertEqual(lead.atelier_profile, "learner")
        self.assertIn("Je cherche une formation", lead.description)
        self.assertEqual(lead.partner_id.phone, "06 11 22 33 99")
        self.assertIn("example.fr", self.dns.queries)

    def test_honeypot_writes_nothing(self):
        before = self.counts()
        response = self.contact(website="http://spam.example.com")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(self.counts(), before)

    def test_rate_limit_per_ip(self):
        self.env["ir.config_parameter"].sudo().set_param(
            "atelier_crm.form_hourly_limit", "2"
        )
        self.assertEqual(self.contact(email="un@example.fr").status_code, 200)
        self.assertEqual(self.contact(email="deux@example.fr").status_code, 200)
        before = self.counts()
        response = self.contact(email="trois@example.fr")
        self.assertEqual(response.status_code, 429)
        self.assertIn("Too many forms", response.text)
        self.assertEqual(self.counts(), before)

    @mute_logger("odoo.addons.atelier_crm.tools.email_check")
    def test_bad_addresses_are_refused_with_a_message(self):
        before = self.counts()
        for email, message in (
            ("pas-une-adresse", "is not valid"),
            ("a@b", "is not valid"),
            ("x@nomail.example", "receives no e-mail"),
            ("x@nullmx.example", "receives no e-mail"),
            ("x@inconnu.example", "receives no e-mail"),
        ):
            with self.subTest(email=email):
                response = self.contact(email=email)
                self.assertEqual(response.status_code, 400)
                self.assertIn(message, response.text)
                self.assertIn(
                    'value="Zoé Martin"', response.text, "what was typed is kept"
                )
        self.assertEqual(self.counts(), before)
        # a DNS server that does not answer does not lose the lead
        self.dns.mx_table["lent.example"] = None
        self.assertEqual(self.contact(email="x@lent.example").status_code, 200)

    def test_oversized_or_scripted_payloads_are_refused(self):
        before = self.counts()
        cases = (
            ({"message": "x" * 2001}, 400, "too long"),
            ({"message": "<script>alert(1)</script>"}, 400, "Markup and scripts"),
            ({"name": "<img src=x onerror=alert(1)>"}, 400, "Markup and scripts"),
            ({"company": "javascript:alert(1)"}, 400, "Markup and scripts"),
            ({"name": "{{ 7*7 }}"}, 400, "Markup and scripts"),
            ({"filler": "y" * 20000}, 413, "too large"),
            ({"form_token": "123.forged"}, 400, "expired"),
        )
        for data, status, message in cases:
            with self.subTest(data=list(data)):
                response = self.contact(**data)
                self.assertEqual(response.status_code, status)
                self.assertIn(message, response.text)
                self.assertNotIn("alert(1)</script>", response.text)
        self.assertEqual(self.counts(), before)

    # ------------------------------------------------------------------
    def test_guide_double_optin(self):
        path = f"/atelier/guide/{self.magnet.slug}"
        before = self.counts()
        response = self.post(
            path + "?utm_source=Newsletter%20partenaire&ref=AMI-3",
            {
                "name": "Hugo",
                "email": "Hugo.Vincent@example.com",
                "consent_sequence": "1",
                "consent_newsletter": "1",
            },
            page=path + "?utm_source=Newsletter%20partenaire&ref=AMI-3",
        )
        self.assertEqual(response.status_code, 200, response.text[:500])
        self.assertIn("Check your inbox", response.text)
        optin = self.Optin.search([("email", "=", "hugo.vincent@example.com")])
        self.assertEqual(optin.state, "pending")
        # nothing in the CRM yet: only the request and its "requested" consents
        leads, partners, optins, consents = self.counts()
        self.assertEqual(
            (leads, partners, optins), (before[0], before[1], before[2] + 1)
        )
        self.assertEqual(
            set(self.Consent.search([("email", "=", optin.email)]).mapped("action")),
            {"requested"},
        )
        mail = self.env["mail.mail"].search(
            [("email_to", "ilike", "hugo.vincent@example.com")]
        )
        self.assertEqual(len(mail), 1)
        self.assertIn(optin.confirm_url, mail.body_html)
        token = optin.confirm_url.rsplit("/", 1)[1]
        confirm = f"/atelier/crm/optin/{token}"
        # a mail scanner opening the link confirms nothing
        self.assertEqual(self.get(confirm).status_code, 200)
        self.assertEqual(optin.state, "pending")
        # forged signature, and another request's id: nothing
        forged = token[:-4] + ("aaaa" if not token.endswith("aaaa") else "bbbb")
        self.assertEqual(
            self.raw("POST", f"/atelier/crm/optin/{forged}").status_code, 404
        )
        self.assertEqual(optin.state, "pending")
        # confirmed once
        response = self.raw("POST", confirm)
        self.assertEqual(response.status_code, 200, response.text[:300])
        self.assertIn("o_atelier_crm_optin_done", response.text)
        self.assertEqual(optin.state, "confirmed")
        lead = optin.lead_id
        self.assertEqual(lead.atelier_channel, "lead_magnet")
        self.assertEqual(lead.source_id.name, "Newsletter partenaire")
        self.assertEqual(lead.atelier_referral_code, "AMI-3")
        self.assertEqual(lead.partner_id.email, "hugo.vincent@example.com")
        granted = self.Consent.search(
            [("email", "=", optin.email), ("action", "=", "granted")]
        )
        self.assertEqual(set(granted.mapped("purpose")), {"sequence", "newsletter"})
        self.assertTrue(all(granted.mapped("text")))
        self.assertEqual(lead.atelier_enrolment_ids.sequence_id, self.sequence)
        newsletter = self.Consent._atelier_newsletter_list()
        self.assertIn(
            "hugo.vincent@example.com", newsletter.contact_ids.mapped("email")
        )
        guide = self.env["mail.mail"].search(
            [("email_to", "ilike", "hugo.vincent@example.com"), ("id", "!=", mail.id)]
        )
        self.assertEqual(len(guide), 1)
        self.assertEqual(guide.attachment_ids, self.magnet.attachment_id)
        self.assertEqual(guide.attachment_ids.mimetype, "application/pdf")
        # replayed: nothing new
        after = self.counts()
        response = self.raw("POST", confirm)
        self.assertEqual(response.status_code, 409)
        self.assertEqual(self.counts(), after)
        self.assertEqual(
            self.env["mail.mail"].search_count(
                [("email_to", "ilike", "hugo.vincent@example.com")]
            ),
            2,
        )

    def test_expired_token_confirms_nothing(self):
        self.post(
            f"/atelier/guide/{self.magnet.slug}",
            {"name": "Tardif", "email": "tardif@example.com", "consent_sequence": "1"},
        )
        optin = self.Optin.search([("email", "=", "tardif@example.com")])
        token = optin.confirm_url.rsplit("/", 1)[1]
        optin.expires_at = fields.Datetime.now() - timedelta(minutes=1)
        # the signature covers the expiry: the old link is now invalid
        self.assertEqual(
            self.raw("POST", f"/atelier/crm/optin/{token}").status_code, 404
        )
        # an expiry in the past with a matching signature: refused as expired
        expiry = int(optin.expires_at.timestamp())
        expired_token = f"{optin.id}.{expiry}.{optin._atelier_signature(expiry)}"
        response = self.raw("POST", f"/atelier/crm/optin/{expired_token}")
        self.assertEqual(response.status_code, 410)
        self.assertEqual(optin.state, "pending")
        self.assertFalse(
            self.Lead.search([("email_normalized", "=", "tardif@example.com")])
        )

    def test_unsubscribe_and_no_silent_resubscribe(self):
        path = f"/atelier/guide/{self.magnet.slug}"
        email = "chloe.rousseau@example.com"
        self.post(
            path,
            {
                "name": "Chloé",
                "email": email,
                "consent_sequence": "1",
                "consent_newsletter": "1",
            },
        )
        optin = self.Optin.search([("email", "=", email)])
        self.assertEqual(self.raw("POST", optin.confirm_url).status_code, 200)
        enrolment = optin.lead_id.atelier_enrolment_ids
        self.assertEqual(enrolment.state, "active")
        url = self.Consent._atelier_unsubscribe_url(email)
        self.assertEqual(self.raw("GET", url).status_code, 200)
        self.assertEqual(enrolment.state, "active", "opening the page stops nothing")
        bad = url.replace("token=", "token=x")
        self.assertEqual(self.raw("POST", bad).status_code, 404)
        response = self.raw("POST", url, data={"scope": "all"})
        self.assertEqual(response.status_code, 200)
        self.assertIn("o_atelier_unsubscribed", response.text)
        self.assertTrue(self.env["mail.blacklist"].search([("email", "=", email)]))
        self.assertEqual(
            (enrolment.state, enrolment.stop_reason), ("stopped", "unsubscribe")
        )
        partner = optin.lead_id.partner_id
        self.assertEqual(partner.atelier_consent_newsletter, "withdrawn")
        self.assertEqual(partner.atelier_consent_sequence, "withdrawn")
        newsletter = self.Consent._atelier_newsletter_list()
        subscription = newsletter.subscription_ids.filtered(
            lambda s: s.contact_id.email == email
        )
        self.assertTrue(subscription.opt_out)
        # filling the form again re-subscribes nobody...
        self.post(path, {"name": "Chloé", "email": email, "consent_newsletter": "1"})
        self.assertTrue(self.env["mail.blacklist"].search([("email", "=", email)]))
        self.assertEqual(partner.atelier_consent_newsletter, "withdrawn")
        self.assertTrue(subscription.opt_out)
        # ...nor does Odoo's own subscription by a visitor (odoo/odoo#33234)
        public = self.env.ref("base.public_user")
        subscription.with_user(public).sudo().write({"opt_out": False})
        self.assertTrue(subscription.opt_out)
        # ...until the new request is confirmed
        second = self.Optin.search([("email", "=", email), ("state", "=", "pending")])
        self.assertEqual(self.raw("POST", second.confirm_url).status_code, 200)
        self.assertFalse(self.env["mail.blacklist"].search([("email", "=", email)]))
        self.assertEqual(partner.atelier_consent_newsletter, "granted")
        self.assertFalse(subscription.opt_out)
        # one-click unsubscribe from the mail client's header
        response = self.raw("POST", url, data={"List-Unsubscribe": "One-Click"})
        self.assertEqual(response.status_code, 200)
        self.assertTrue(self.env["mail.blacklist"].search([("email", "=", email)]))

    def test_odoo_blacklist_withdraws_our_consents(self):
        lead = self._lead("Liste", "liste@example.com")
        self.sequence._atelier_enrol(lead)
        self.env["mail.blacklist"]._add("liste@example.com")
        self.assertEqual(lead.atelier_enrolment_ids.stop_reason, "unsubscribe")
        self.assertEqual(lead.partner_id.atelier_consent_sequence, "withdrawn")

    def test_opens_and_clicks_are_counted_on_the_step(self):
        self.sequence.resource_calendar_id = self.env["resource.calendar"].create(
            {
                "name": "pub always open",
                "tz": "UTC",
                "attendance_ids": [
                    (
                        0,
                        0,
                        {
                            "name": f"d{day}",
                            "dayofweek": str(day),
                            "hour_from": 0,
                            "hour_to": 24,
                            "day_period": "morning",
                        },
                    )
                    for day in range(7)
                ],
            }
        )
        lead = self._lead("Lectrice", "lectrice@example.com")
        enrolment = self.sequence._atelier_enrol(lead)
        self.env["atelier.crm.enrolment"]._atelier_run_batch()
        log = enrolment.step_log_ids
        body = (
            self.env["mail.mail"]
            .search([("mail_message_id", "=", log.mail_message_id.id)])
            .body_html
        )
        pixel = re.search(r'src="([^"]*/atelier/crm/o/[^"]+)"', body).group(1)
        link = re.search(rf'href="([^"]*/r/[A-Za-z0-9]+/s/{log.id})"', body).group(1)
        # a forged pixel counts nothing, and still answers an image
        forged = self.raw("GET", pixel[:-4] + "0000")
        self.assertEqual(forged.headers["Content-Type"], "image/gif")
        self.assertEqual(log.opened, 0)
        self.assertEqual(self.raw("GET", pixel).status_code, 200)
        self.assertEqual((log.opened, log.clicked), (1, 0))
        self.raw("GET", pixel)
        self.assertEqual(
            len(
                lead.atelier_score_line_ids.filtered(
                    lambda line: line.event == "email_opened"
                )
            ),
            1,
            "an e-mail opened twice is one open",
        )
        response = self.raw("GET", link)
        self.assertEqual(response.status_code, 301)
        target = urlsplit(response.headers["Location"])
        self.assertEqual(target.path, "/atelier/contact")
        # the link carries its campaign: the form then attributes the lead
        self.assertIn("utm_campaign=", target.query)
        self.assertEqual(log.clicked, 1)
        clicks = self.env["link.tracker.click"].search(
            [("atelier_step_log_id", "=", log.id)]
        )
        self.assertEqual(len(clicks), 1)
        self.assertEqual(clicks.campaign_id, self.sequence.utm_campaign_id)
        self.assertEqual(self.steps[0].clicked_count, 1)
        self.assertIn("email_clicked", lead.atelier_score_line_ids.mapped("event"))
