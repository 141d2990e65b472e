# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models

from ..tools.identity import email_key


class ResPartner(models.Model):
    _inherit = "res.partner"

    def _atelier_beta_signups(self):
        self.ensure_one()
        Signup = self.env["atelier.beta.signup"].sudo()
        signups = Signup.search([("partner_id", "=", self.id)])
        if self.email_normalized:
            key = email_key(self.email_normalized)
            if key:
                signups |= Signup.search([("email_key", "=", key)])
        return signups

    def _atelier_gdpr_data(self):
        data = super()._atelier_gdpr_data()
        signups = self._atelier_beta_signups()

        def dt(value):
            return fields.Datetime.to_string(value) if value else None

        data["beta"] = [
            {
                "signed_up": dt(signup.create_date),
                "confirmed": dt(signup.confirmed_at),
                "state": signup.state,
                "vehicle": {
                    "make": signup.vehicle_make or None,
                    "fuel_type": signup.fuel_type,
                    "year": signup.vehicle_year or None,
                },
                "region": signup.region,
                "profile": signup.profile,
                "referral_code": signup.referral_code or None,
                "referred_people": len(signup.referral_ids),
                "credited_referrals": signup.referral_credits,
                "invited": dt(signup.invited_at),
                "accepted": dt(signup.accepted_at),
                "activated": dt(signup.activated_at),
                "feedback": [
                    {
                        "date": dt(feedback.create_date),
                        "kind": feedback.kind,
                        "title": feedback.name,
                        "text": feedback.description,
                        "status": feedback.state,
                    }
                    for feedback in signup.feedback_ids
                ],
                "nps": [
                    {
                        "period": nps.period,
                        "score": nps.score,
                        "comment": nps.comment or None,
                    }
                    for nps in self.env["atelier.beta.nps"]
                    .sudo()
                    .search([("signup_id", "=", signup.id)])
                    if nps.answered_at
                ],
            }
            for signup in signups
        ]
        return data

    def _atelier_gdpr_erase(self, channel):
        # the beta first: its rows stay as anonymous counts
        for signup in self._atelier_beta_signups().filtered(
            lambda s: s.state != "erased"
        ):
            signup._atelier_anonymise("erased")
        return super()._atelier_gdpr_erase(channel)
