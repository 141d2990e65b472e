# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import hashlib

from lxml import html

from odoo import api, fields, models, tools
from odoo.tools import SQL, consteq

from ..tools import inline
from ..tools.signing import sign
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
        "mail.message",
        string="Sent e-mail",
        ondelete="set null",
        index="btree_not_null",
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
        """Render ``step``'s template for these rows and queue the e-mails;
        the rows become "sent" and point to their message."""
        template = step.mail_template_id.sudo()
        Enrolment = self.env["atelier.crm.enrolment"]
        base_url = template.get_base_url()
        link_values = Enrolment._atelier_link_values(step)
        by_lead = {log.lead_id.id: log for log in self}
        default_from = self.env.company.email_formatted or self.env.user.email_formatted
        reply_to = {}
        rows = []
        secret = self.env["ir.config_parameter"].sudo().get_param("database.secret")
        for template_lang, leads in self._atelier_classify_per_lang(
            template, self.env["crm.lead"].sudo().browse(list(by_lead))
        ):
            source = template_lang._replace_local_links(
                template_lang.body_html, base_url
            )
            source = template_lang._shorten_links(
                source, link_values, blacklist=[UNSUBSCRIBE_PATH]
            )
            bodies = self._atelier_render_bodies(template_lang, source, leads)
            subjects = self._atelier_render_inline(template_lang, "subject", leads)
            senders = self._atelier_render_inline(template_lang, "email_from", leads)
            for lead in leads:
                log = by_lead[lead.id]
                email = lead.email_normalized or lead.email_from
                unsubscribe_url = self.env[
                    "atelier.crm.consent"
                ]._atelier_unsubscribe_url(email, secret=secret)
                sender = senders.get(lead.id) or default_from
                team_key = (lead.team_id.id, lead.company_id.id, sender)
                if team_key not in reply_to:
                    # one alias per team and company: asked once, not per lead
                    reply_to[team_key] = lead._notify_get_reply_to(default=sender)[
                        lead.id
                    ]
                rows.append(
                    {
                        "log": log.id,
                        "lead": lead,
                        "subject": subjects.get(lead.id) or step.name,
                        "body": Enrolment._atelier_personalize(
                            bodies[lead.id],
                            log,
                            base_url,
                            unsubscribe_url,
                            log._atelier_token(secret),
                        ),
                        "email_from": sender,
                        "reply_to": reply_to[team_key],
                        "email_to": tools.formataddr(
                            (lead.contact_name or lead.partner_id.name or "", email)
                        ),
                        "headers": repr(
                            {
                                "List-Unsubscribe": f"<{unsubscribe_url}>",
                                "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
                                "X-Auto-Response-Suppress": "OOF",
                            }
                        ),
                        "mail_server_id": template.mail_server_id.id or None,
                    }
                )
        message_ids = self._atelier_queue_mails(rows)
        self.env.cr.execute(
            SQL(
                """UPDATE atelier_crm_enrolment_step s
                      SET state = 'sent', sent = 1, mail_message_id = v.message
                     FROM unnest(%s::int[], %s::int[]) AS v(id, message)
                    WHERE s.id = v.id""",
                [row["log"] for row in rows],
                message_ids,
            )
        )
        self.invalidate_recordset(["state", "sent", "mail_message_id"])
        return message_ids

    @api.model
    def _atelier_render_bodies(self, template, source, records):
        """The QWeb ``source`` rendered for each record, compiled once (see
        ir.qweb); rendered as mail templates are (``object``, the eval
        context)."""
        node = html.fragment_fromstring(source, create_parent="div")
        digest = hashlib.sha1(str(source).encode()).hexdigest()
        qweb = self.env["ir.qweb"].with_context(atelier_crm_compile_key=digest)
        variables = template._render_eval_context()
        bodies = {}
        for record in records:
            variables["object"] = record
            # drop the <div> added around the fragment, as mail templates do
            bodies[record.id] = qweb._render(node, variables)[5:-6]
        return bodies

    @api.model
    def _atelier_render_inline(self, template, fname, records):
        """A template's inline field per record; a field without placeholder
        is the same text for everyone and is not rendered per record."""
        value = template[fname]
        if not value:
            return {}
        if "{{" not in value:
            return dict.fromkeys(records.ids, value)
        return inline.render_many(value, template._render_eval_context(), records)

    @api.model
    def _atelier_classify_per_lang(self, template, records):
        """``[(template in a language, its records)]``, as mail templates
        choose the language of each recipient (``lang`` field)."""
        if not template.lang:
            return [(template, records)]
        langs = inline.render_many(
            template.lang, template._render_eval_context(), records
        )
        groups = {}
        for record in records:
            groups.setdefault(langs[record.id] or False, []).append(record.id)
        return [
            (
                template.with_context(lang=lang) if lang else template,
                records.browse(ids),
            )
            for lang, ids in groups.items()
        ]

    @api.model
    def _atelier_queue_mails(self, rows):
        """Write the outgoing e-mails of ``rows`` as Odoo's mail queue holds
        them (a ``mail.message`` on the lead and its ``mail.mail``), in two
        INSERTs rather than one ORM create per e-mail; the queue sends them
        like any other. Returns the message ids, in the order of ``rows``."""
        if not rows:
            return []
        cr = self.env.cr
        now = fields.Datetime.now()
        uid = self.env.uid
        author = self.env.user.partner_id.id
        cr.execute(
            SQL(
                "SELECT nextval('mail_message_id_seq') FROM generate_series(1, %s)",
                len(rows),
            )
        )
        ids = [row[0] for row in cr.fetchall()]
        columns = {
            "id": ids,
            "subject": [row["subject"] for row in rows],
            "body": [row["body"] for row in rows],
            "res_id": [row["lead"].id for row in rows],
            "company": [row["lead"].company_id.id or None for row in rows],
            "email_from": [row["email_from"] for row in rows],
            "reply_to": [row["reply_to"] for row in rows],
            "message_id": [
                tools.mail.generate_tracking_message_id(row["lead"].id) for row in rows
            ],
            "server": [row["mail_server_id"] for row in rows],
            "email_to": [row["email_to"] for row in rows],
            "headers": [row["headers"] for row in rows],
        }
        cr.execute(
            SQL(
                """INSERT INTO mail_message (id, subject, body, model, message_type,
                       res_id, record_company_id, author_id, email_from, reply_to,
                       message_id, mail_server_id, date, is_internal,
                       reply_to_force_new, email_add_signature, outgoing_email_to,
                       create_date, create_uid, write_date, write_uid)
                   SELECT m.id, m.subject, m.body, 'crm.lead', 'email_outgoing',
                          m.res_id, m.company, %(author)s, m.email_from, m.reply_to,
                          m.message_id, m.server, %(now)s, false, false, true,
                          m.email_to, %(now)s, %(uid)s, %(now)s, %(uid)s
                     FROM unnest(%(id)s::int[], %(subject)s::varchar[],
                                 %(body)s::text[], %(res_id)s::int[],
                                 %(company)s::int[],
                                 %(email_from)s::varchar[], %(reply_to)s::varchar[],
                                 %(message_id)s::varchar[], %(server)s::int[],
                                 %(email_to)s::varchar[])
                          AS m(id, subject, body, res_id, company, email_from, reply_to,
                               message_id, server, email_to)""",
                author=author,
                now=now,
                uid=uid,
                **{k: v for k, v in columns.items() if k != "headers"},
            )
        )
        cr.execute(
            SQL(
                """INSERT INTO mail_mail (mail_message_id, body_html, email_to, state,
                       auto_delete, is_notification, headers, create_date, create_uid,
                       write_date, write_uid)
                   SELECT m.id, m.body, m.email_to, 'outgoing', true, true, m.headers,
                          %(now)s, %(uid)s, %(now)s, %(uid)s
                     FROM unnest(%(id)s::int[], %(body)s::text[],
                                 %(email_to)s::text[], %(headers)s::text[])
                          AS m(id, body, email_to, headers)""",
                now=now,
                uid=uid,
                id=ids,
                body=columns["body"],
                email_to=columns["email_to"],
                headers=columns["headers"],
            )
        )
        self.env["mail.message"].invalidate_model()
        self.env["mail.mail"].invalidate_model()
        self.env["crm.lead"].invalidate_model(["message_ids"])
        self.env.ref("mail.ir_cron_mail_scheduler_action")._trigger()
        return ids

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
    def _atelier_token(self, secret=None):
        self.ensure_one()
        if secret is None:
            return tools.hmac(self.env(su=True), "atelier_crm-step", self.id)[:32]
        return sign(secret, "atelier_crm-step", self.id)[:32]

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
