# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models, tools
from odoo.tools import SQL, consteq

from .atelier_crm_enrolment import UNSUBSCRIBE_PATH

FIGURES = ("sent", "opened", "clicked", "replied", "converted")


class AtelierCrmEnrolmentStep(models.Model):
    """The log of the steps done, one row per (enrolment, step), claimed
    under a unique key before the step is done; it carries the step's
    figures (0/1 columns so that pivots sum them)."""

    _name = "atelier.crm.enrolment.step"
    _description = "Sequence step done"
    _order = "processed_at desc, id desc"
    _rec_name = "step_id"

    enrolment_id = fields.Many2one(
        "atelier.crm.enrolment", required=True, ondelete="cascade", index=True
    )
    step_id = fields.Many2one(
        "atelier.crm.sequence.step", required=True, ondelete="cascade", index=True
    )
    sequence_id = fields.Many2one(
        "atelier.crm.sequence", required=True, ondelete="cascade", index=True
    )
    lead_id = fields.Many2one("crm.lead", ondelete="cascade", index=True)
    kind = fields.Selection(related="step_id.kind")
    state = fields.Selection(
        [
            ("claimed", "Claimed"),
            ("sent", "Sent"),
            ("done", "Done"),
            ("skipped", "Skipped (condition not met)"),
        ],
        required=True,
        default="claimed",
    )
    processed_at = fields.Datetime(string="Processed on")
    mail_message_id = fields.Many2one(
        "mail.message", string="E-mail", ondelete="set null", index="btree_not_null"
    )
    activity_id = fields.Many2one("mail.activity", ondelete="set null")
    opened_at = fields.Datetime(string="Opened on")
    clicked_at = fields.Datetime(string="Clicked on")
    replied_at = fields.Datetime(string="Replied on")
    sent = fields.Integer(default=0, aggregator="sum")
    opened = fields.Integer(default=0, aggregator="sum")
    clicked = fields.Integer(default=0, aggregator="sum")
    replied = fields.Integer(default=0, aggregator="sum")
    converted = fields.Integer(default=0, aggregator="sum")

    _enrolment_step_uniq = models.Constraint(
        "UNIQUE (enrolment_id, step_id)",
        "A step is done once per enrolment.",
    )

    # ------------------------------------------------------------------
    # Figures
    # ------------------------------------------------------------------
    @api.model
    def _atelier_figures(self, domain, groupby):
        """``{group id: {"sent": n, "opened": n, …, "skipped": n}}``"""
        figures = {}
        aggregates = [f"{name}:sum" for name in FIGURES]
        for group, *sums in self.sudo()._read_group(domain, [groupby], aggregates):
            figures[group.id] = dict(zip(FIGURES, sums, strict=True))
        for group, count in self.sudo()._read_group(
            list(domain) + [("state", "=", "skipped")], [groupby], ["__count"]
        ):
            figures.setdefault(group.id, {})["skipped"] = count
        return figures

    # ------------------------------------------------------------------
    # Engine parts (called by atelier.crm.enrolment on claimed rows)
    # ------------------------------------------------------------------
    def _atelier_set_state(self, state, sent=0):
        if not self:
            return
        self.env.cr.execute(
            SQL(
                "UPDATE atelier_crm_enrolment_step SET state = %s, sent = %s "
                "WHERE id = ANY(%s)",
                state,
                sent,
                self.ids,
            )
        )
        self.invalidate_recordset(["state", "sent"])

    def _atelier_filter_condition(self, step):
        """The rows whose step condition holds."""
        if step.condition == "none":
            return self
        if step.condition == "score_above":
            return self.filtered(
                lambda log: log.lead_id.atelier_score > step.condition_score
            )
        previous = step._atelier_previous()
        if not previous:
            return self
        column = "opened" if step.condition == "opened_previous" else "clicked"
        self.env.cr.execute(
            SQL(
                "SELECT enrolment_id FROM atelier_crm_enrolment_step "
                "WHERE step_id = %s AND enrolment_id = ANY(%s) AND %s = 1",
                previous.id,
                self.enrolment_id.ids,
                SQL.identifier(column),
            )
        )
        passed = {row[0] for row in self.env.cr.fetchall()}
        return self.filtered(lambda log: log.enrolment_id.id in passed)

    def _atelier_send_emails(self, step):
        """Render ``step``'s template for these rows and queue the e-mails in
        one create; the rows become "sent" and point to their message."""
        template = step.mail_template_id.sudo()
        Enrolment = self.env["atelier.crm.enrolment"]
        base_url = template.get_base_url()
        link_values = Enrolment._atelier_link_values(step)
        by_lead = {log.lead_id.id: log for log in self}
        default_from = self.env.company.email_formatted or self.env.user.email_formatted
        vals_list = []
        logs_order = []
        for template_lang, lead_ids in template._classify_per_lang(
            list(by_lead)
        ).values():
            source = template_lang._shorten_links(
                template_lang.body_html, link_values, blacklist=[UNSUBSCRIBE_PATH]
            )
            bodies = template_lang._render_template(
                source,
                template.model,
                lead_ids,
                engine="qweb",
                options={"post_process": True},
            )
            subjects = template_lang._render_field("subject", lead_ids)
            senders = (
                template_lang._render_field("email_from", lead_ids)
                if template.email_from
                else {}
            )
            leads = self.env["crm.lead"].sudo().browse(lead_ids)
            for lead in leads:
                log = by_lead[lead.id]
                email = lead.email_normalized or lead.email_from
                unsubscribe_url = self.env[
                    "atelier.crm.consent"
                ]._atelier_unsubscribe_url(email)
                vals_list.append(
                    {
                        "subject": subjects.get(lead.id) or step.name,
                        "body_html": Enrolment._atelier_personalize(
                            bodies[lead.id], log, base_url, unsubscribe_url
                        ),
                        "email_from": senders.get(lead.id) or default_from,
                        "email_to": tools.formataddr(
                            (lead.contact_name or lead.partner_id.name or "", email)
                        ),
                        "model": "crm.lead",
                        "res_id": lead.id,
                        "message_type": "email_outgoing",
                        "is_notification": True,
                        "auto_delete": True,
                        "mail_server_id": template.mail_server_id.id,
                        "headers": repr(
                            {
                                "List-Unsubscribe": f"<{unsubscribe_url}>",
                                "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
                                "X-Auto-Response-Suppress": "OOF",
                            }
                        ),
                    }
                )
                logs_order.append(log.id)
        mails = (
            self.env["mail.mail"]
            .sudo()
            .with_context(mail_create_nolog=True, mail_notrack=True)
            .create(vals_list)
        )
        rows = SQL(", ").join(
            SQL("(%s, %s)", log_id, mail.mail_message_id.id)
            for log_id, mail in zip(logs_order, mails, strict=True)
        )
        self.env.cr.execute(
            SQL(
                """UPDATE atelier_crm_enrolment_step s
                      SET state = 'sent', sent = 1, mail_message_id = v.message
                     FROM (VALUES %s) AS v(id, message) WHERE s.id = v.id""",
                rows,
            )
        )
        self.invalidate_recordset(["state", "sent", "mail_message_id"])
        return mails

    def _atelier_schedule_activities(self, step, now):
        model_id = self.env["ir.model"]._get_id("crm.lead")
        fallback = step.sequence_id.responsible_id or self.env.ref("base.user_admin")
        vals_list = [
            {
                "res_model_id": model_id,
                "res_id": log.lead_id.id,
                "activity_type_id": step.activity_type_id.id,
                "summary": step.activity_summary or step.name,
                "user_id": (log.lead_id.user_id or fallback).id,
                "date_deadline": fields.Date.to_date(now),
            }
            for log in self
        ]
        activities = (
            self.env["mail.activity"]
            .sudo()
            .with_context(mail_activity_quick_update=True)
            .create(vals_list)
        )
        for log, activity in zip(self, activities, strict=True):
            log.sudo().write({"state": "done", "activity_id": activity.id})
        return activities

    # ------------------------------------------------------------------
    # Tracking (opens, clicks, replies)
    # ------------------------------------------------------------------
    def _atelier_token(self):
        self.ensure_one()
        return tools.hmac(self.env(su=True), "atelier_crm-step", self.id)[:32]

    @api.model
    def _atelier_from_token(self, log_id, token):
        log = self.sudo().browse(int(log_id)).exists()
        if log and consteq(log._atelier_token(), token or ""):
            return log
        return self.browse()

    def _atelier_mark(self, figure, when=None):
        """Count ``figure`` (opened, clicked, replied) once per row; a click
        is also an open. Scores the engagement of the first time."""
        when = when or fields.Datetime.now()
        columns = [figure] + (["opened"] if figure == "clicked" else [])
        newly = {}
        for column in columns:
            self.env.cr.execute(
                SQL(
                    """UPDATE atelier_crm_enrolment_step
                          SET %(flag)s = 1, %(stamp)s = %(when)s
                        WHERE id = ANY(%(ids)s) AND %(flag)s = 0
                    RETURNING lead_id, step_id""",
                    flag=SQL.identifier(column),
                    stamp=SQL.identifier(f"{column}_at"),
                    when=when,
                    ids=self.ids,
                )
            )
            newly[column] = self.env.cr.fetchall()
        self.invalidate_recordset()
        events = {
            "opened": "email_opened",
            "clicked": "email_clicked",
            "replied": "reply",
        }
        Lead = self.env["crm.lead"].sudo()
        Step = self.env["atelier.crm.sequence.step"].sudo()
        for column, rows in newly.items():
            if column == "replied":
                continue  # replies are scored by the business event
            for lead_id, step_id in rows:
                Lead.browse(lead_id)._atelier_add_score(
                    events[column], detail=Step.browse(step_id).name
                )
        return bool(newly.get(figure))
