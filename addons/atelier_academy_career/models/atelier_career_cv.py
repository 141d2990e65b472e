# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import models
from odoo.exceptions import AccessError


class AtelierCareerCv(models.Model):
    _inherit = "atelier.career.cv"

    def action_import_academy(self):
        """Add the learner's valid academy certificates and completed
        courses to this CV (each once), each with its public page: the
        certificate's verification page, the course's page. Returns the
        number of entries added."""
        self.ensure_one()
        self.check_access("write")
        if self.user_id != self.env.user:
            raise AccessError(self.env._("This CV is not yours."))
        entries = self._academy_entries()
        known = set(self.sudo().line_ids.mapped("source_ref"))
        entries = [entry for entry in entries if entry["source_ref"] not in known]
        if not entries:
            return 0
        last = max(self.sudo().line_ids.mapped("sequence") or [0])
        for offset, entry in enumerate(entries, 1):
            entry.update(cv_id=self.id, section="certificate", sequence=last + offset)
        self.env["atelier.career.cv.line"].sudo().create(entries)
        return len(entries)

    def _academy_entries(self):
        """The CV entries the academy vouches for (sudo: the learner's own
        certificates and memberships, read after the checks above)."""
        partner = self.user_id.partner_id
        issuer = self.env.company.name
        base = self.env["ir.config_parameter"].sudo().get_param("web.base.url", "")
        certificates = (
            self.env["atelier.academy.certificate"]
            .sudo()
            .search([("partner_id", "=", partner.id), ("state", "=", "valid")])
        )
        entries = [
            {
                "title": certificate.path_name or certificate.path_id.name,
                "organization": issuer,
                "date_start": certificate.issue_date.strftime("%Y-%m"),
                "url": certificate._atelier_verify_url(),
                "keywords": ", ".join(certificate.competency_ids.mapped("name")),
                "source_ref": f"atelier.academy.certificate,{certificate.id}",
            }
            for certificate in certificates.sorted("issue_date")
        ]
        members = (
            self.env["slide.channel.partner"]
            .sudo()
            .search(
                [("partner_id", "=", partner.id), ("member_status", "=", "completed")]
            )
        )
        for member in members.sorted(lambda m: (m.write_date, m.id)):
            channel = member.channel_id
            entries.append(
                {
                    "title": channel.name,
                    "organization": issuer,
                    "date_start": member.write_date.strftime("%Y-%m"),
                    "url": f"{base}{channel.website_url}"
                    if channel.website_url
                    else "",
                    "source_ref": f"slide.channel,{channel.id}",
                }
            )
        return entries
