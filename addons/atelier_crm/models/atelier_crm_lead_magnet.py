# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import re

from odoo import api, fields, models
from odoo.exceptions import ValidationError

_SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


class AtelierCrmLeadMagnet(models.Model):
    """Something worth an e-mail address (a guide), sent once the address
    is confirmed, with the sequence that follows."""

    _name = "atelier.crm.lead.magnet"
    _description = "Lead magnet"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    slug = fields.Char(
        required=True, help="Address of the public page: /atelier/guide/<slug>."
    )
    summary = fields.Html(translate=True)
    attachment_id = fields.Many2one(
        "ir.attachment", string="File sent", required=True, ondelete="restrict"
    )
    mail_template_id = fields.Many2one(
        "mail.template",
        string="Delivery e-mail",
        required=True,
        domain=[("model", "=", "atelier.crm.optin")],
        ondelete="restrict",
    )
    sequence_id = fields.Many2one(
        "atelier.crm.sequence",
        string="Then the sequence",
        ondelete="set null",
        help="Contacts who agreed to advice e-mails are enrolled on confirmation.",
    )
    tag_ids = fields.Many2many("crm.tag", string="Lead tags")
    utm_source_id = fields.Many2one("utm.source", string="Source", ondelete="restrict")
    page_url = fields.Char(compute="_compute_page_url")
    request_count = fields.Integer(compute="_compute_counts")
    confirmed_count = fields.Integer(compute="_compute_counts")

    _slug_uniq = models.Constraint("UNIQUE (slug)", "This page address is taken.")

    @api.constrains("slug")
    def _check_slug(self):
        for magnet in self:
            if not _SLUG_RE.match(magnet.slug or ""):
                raise ValidationError(
                    self.env._(
                        "The page address takes lowercase letters, digits and dashes."
                    )
                )

    def _compute_page_url(self):
        base_url = self.get_base_url()
        for magnet in self:
            magnet.page_url = f"{base_url}/atelier/guide/{magnet.slug}"

    def _compute_counts(self):
        Optin = self.env["atelier.crm.optin"].sudo()
        counts = {
            (magnet.id, state): count
            for magnet, state, count in Optin._read_group(
                [("lead_magnet_id", "in", self.ids)],
                ["lead_magnet_id", "state"],
                ["__count"],
            )
        }
        for magnet in self:
            magnet.confirmed_count = counts.get((magnet.id, "confirmed"), 0)
            magnet.request_count = sum(
                count for (mid, _state), count in counts.items() if mid == magnet.id
            )

    @api.model_create_multi
    def create(self, vals_list):
        magnets = super().create(vals_list)
        for magnet in magnets.filtered(lambda m: not m.utm_source_id):
            magnet.utm_source_id = self.env["utm.source"].create({"name": magnet.name})
        return magnets

    def _atelier_deliver(self, optin, lead):
        """Send the file to the confirmed address (queued e-mail)."""
        self.ensure_one()
        self.mail_template_id.sudo().with_context(lang=optin.lang).send_mail(
            optin.id,
            email_values={"attachment_ids": [(4, self.attachment_id.id)]},
            email_layout_xmlid="mail.mail_notification_light",
        )
        lead.message_post(
            body=self.env._("Guide sent: %(guide)s", guide=self.name),
            message_type="comment",
            subtype_xmlid="mail.mt_note",
        )
