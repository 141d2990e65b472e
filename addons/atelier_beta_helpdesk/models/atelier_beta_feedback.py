# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from markupsafe import Markup

from odoo import fields, models


class AtelierBetaFeedback(models.Model):
    _inherit = "atelier.beta.feedback"

    ticket_id = fields.Many2one(
        "helpdesk.ticket",
        readonly=True,
        ondelete="set null",
        index="btree_not_null",
    )

    def action_view_ticket(self):
        """The ticket of this bug (the ticket's own rights apply)."""
        self.ensure_one()
        self.ticket_id.check_access("read")
        return self.ticket_id._get_records_action(name=self.env._("Ticket"))

    def _atelier_after_accept(self):
        res = super()._atelier_after_accept()
        if self.kind == "bug" and not self.ticket_id:
            self.ticket_id = self._atelier_create_ticket()
        return res

    def _atelier_create_ticket(self):
        """A ticket for the app team: the tester's words, their screenshot,
        the votes so far; the author is the ticket's client."""
        self.ensure_one()
        feedback = self.sudo()
        team = self.env.ref(
            "atelier_beta_helpdesk.helpdesk_team_beta", raise_if_not_found=False
        )
        ticket_type = self.env.ref(
            "atelier_beta_helpdesk.helpdesk_type_beta_bug", raise_if_not_found=False
        )
        description = Markup("<p>%s</p><p>%s</p>") % (
            feedback.description,
            self.env._(
                "Reported in the beta by a tester; accepted by %(user)s; "
                "%(votes)s vote(s).",
                user=self.env.user.name,
                votes=feedback.vote_count,
            ),
        )
        vals = {
            "name": self.env._("[Beta] %(title)s", title=feedback.name),
            "description": description,
            "partner_id": feedback.partner_id.id or False,
            "atelier_channel": "portal",
            "atelier_beta_feedback_id": feedback.id,
        }
        if team:
            vals["team_id"] = team.id
        if ticket_type:
            vals["type_id"] = ticket_type.id
        ticket = (
            self.env["helpdesk.ticket"]
            .sudo()
            .with_context(mail_create_nolog=True)
            .create(vals)
        )
        if feedback.screenshot:
            self.env["ir.attachment"].sudo().create(
                {
                    "name": f"beta-{feedback.id}-screenshot.png",
                    "datas": feedback.screenshot,
                    "res_model": "helpdesk.ticket",
                    "res_id": ticket.id,
                }
            )
        return ticket
