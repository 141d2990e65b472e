# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, models


class MailingSubscription(models.Model):
    """The newsletter list follows the consent log both ways: an opt-out
    withdraws the newsletter consent; a visitor cannot opt back in without
    a new double opt-in (the re-subscription of odoo/odoo#33234)."""

    _inherit = "mailing.subscription"

    def _atelier_is_newsletter(self):
        newsletter = self.env["atelier.crm.consent"]._atelier_newsletter_list()
        return self.filtered(lambda s: s.list_id == newsletter)

    def _atelier_blocked_for_visitor(self, email):
        """Whether a visitor's own (re)subscription must wait for an opt-in."""
        if self.env.context.get("atelier_crm_optin_confirmed"):
            return False
        if not self.env.user._is_public():
            return False
        status = self.env["atelier.crm.consent"]._atelier_status([email], "newsletter")
        return status.get(email) == "withdrawn" or bool(
            self.env["mail.blacklist"].sudo().search([("email", "=", email)])
        )

    @api.model_create_multi
    def create(self, vals_list):
        subscriptions = super().create(vals_list)
        for subscription in subscriptions._atelier_is_newsletter():
            email = subscription.contact_id.email_normalized
            if (
                not subscription.opt_out
                and email
                and subscription._atelier_blocked_for_visitor(email)
            ):
                subscription.sudo().with_context(
                    atelier_crm_unsubscribing=True
                ).opt_out = True
        return subscriptions

    def write(self, vals):
        if "opt_out" in vals and not vals["opt_out"]:
            blocked = self._atelier_is_newsletter().filtered(
                lambda s: (
                    s.opt_out
                    and s._atelier_blocked_for_visitor(s.contact_id.email_normalized)
                )
            )
            if blocked:
                res = super(MailingSubscription, self - blocked).write(vals)
                other = {k: v for k, v in vals.items() if k != "opt_out"}
                if other:
                    super(MailingSubscription, blocked).write(other)
                return res
        res = super().write(vals)
        if vals.get("opt_out") and not self.env.context.get(
            "atelier_crm_unsubscribing"
        ):
            Consent = self.env["atelier.crm.consent"].sudo()
            for subscription in self._atelier_is_newsletter():
                Consent._atelier_log(
                    [subscription.contact_id.email],
                    "newsletter",
                    "withdrawn",
                    "mass_mailing",
                )
        return res
