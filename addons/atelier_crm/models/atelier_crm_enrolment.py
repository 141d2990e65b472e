# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import logging
import re
from datetime import timedelta

import psycopg2.errors
from markupsafe import Markup

from odoo import api, fields, models
from odoo.tools import SQL

from ..tools.business_hours import OpenHours

_logger = logging.getLogger(__name__)

STOP_REASONS = [
    ("reply", "Replied"),
    ("booking", "Booked an appointment"),
    ("payment", "Paid"),
    ("ticket", "Opened a ticket"),
    ("placement_test", "Took the placement test"),
    ("unsubscribe", "Unsubscribed"),
    ("won", "Won"),
    ("lost", "Lost"),
    ("no_consent", "No consent"),
    ("inactive", "Lead archived"),
    ("erased", "Data erased"),
    ("manual", "Stopped by hand"),
]
# a business event that ends a sequence well: the last e-mail converted
CONVERSIONS = frozenset({"booking", "payment", "placement_test", "won"})
UNSUBSCRIBE_PATH = "/atelier/crm/unsubscribe"
# what a lost race between two schedulers looks like to PostgreSQL
_RACE_ERRORS = (
    psycopg2.errors.SerializationFailure,
    psycopg2.errors.LockNotAvailable,
    psycopg2.errors.DeadlockDetected,
)


class AtelierCrmEnrolment(models.Model):
    """A lead going through a sequence; the scheduler moves it step by step.

    The engine (``_atelier_run_batch``) is set-based: it locks a batch of
    due enrolments, claims each (enrolment, step) pair in the step log under
    a unique key (``INSERT … ON CONFLICT DO NOTHING``) before doing
    anything, renders each step's e-mails in one pass and queues them with
    one ``create``, then moves the batch on with one ``UPDATE``. The claim,
    the queued e-mails and the move commit together: a step is queued once
    per enrolment, and a crash loses only the uncommitted batch, which the
    next run does again.
    """

    _name = "atelier.crm.enrolment"
    _description = "Sequence enrolment"
    _order = "start_at desc, id desc"
    _rec_name = "lead_id"

    sequence_id = fields.Many2one(
        "atelier.crm.sequence", required=True, index=True, ondelete="cascade"
    )
    lead_id = fields.Many2one("crm.lead", required=True, index=True, ondelete="cascade")
    partner_id = fields.Many2one(
        related="lead_id.partner_id", store=True, index="btree_not_null"
    )
    email = fields.Char(
        related="lead_id.email_normalized", store=True, index="btree_not_null"
    )
    user_id = fields.Many2one(related="lead_id.user_id", string="Salesperson")
    team_id = fields.Many2one(related="lead_id.team_id", string="Sales team")
    tz = fields.Char(string="Time zone")
    origin = fields.Selection(
        [("rule", "Rule"), ("manual", "By hand"), ("lead_magnet", "Lead magnet")],
        required=True,
        default="manual",
    )
    state = fields.Selection(
        [("active", "Running"), ("done", "Completed"), ("stopped", "Stopped")],
        required=True,
        default="active",
        index=True,
    )
    stop_reason = fields.Selection(STOP_REASONS)
    start_at = fields.Datetime(string="Enrolled on", required=True)
    stopped_at = fields.Datetime(string="Stopped on")
    next_step_id = fields.Many2one(
        "atelier.crm.sequence.step", string="Next step", ondelete="set null"
    )
    next_due = fields.Datetime(string="Next step due")
    step_log_ids = fields.One2many(
        "atelier.crm.enrolment.step", "enrolment_id", string="Steps done"
    )

    _sequence_lead_uniq = models.Constraint(
        "UNIQUE (sequence_id, lead_id)", "A lead is enrolled once in a sequence."
    )
    _due_idx = models.Index("(next_due, id) WHERE state = 'active'")

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------
    def action_stop(self):
        self.check_access("write")
        self._atelier_stop("manual", enrolment_ids=self.ids)
        return True

    # ------------------------------------------------------------------
    # Scheduling helpers
    # ------------------------------------------------------------------
    @api.model
    def _atelier_due(self, start_at, step):
        return start_at + timedelta(days=step.day_offset)

    @api.model
    def _atelier_insert_by_rule(self, sequence, now):
        """Enrol every lead matching ``sequence``'s rule, in one statement."""
        first = sequence._atelier_first_step()
        self.env.flush_all()
        conditions = [
            SQL("l.active"),
            SQL("l.won_status = 'pending'"),
            SQL("l.email_normalized IS NOT NULL"),
            SQL("COALESCE(l.atelier_score, 0) >= %s", sequence.rule_min_score or 0.0),
            SQL(
                "NOT EXISTS (SELECT 1 FROM mail_blacklist b "
                "WHERE b.email = l.email_normalized AND b.active)"
            ),
            SQL(
                "(SELECT c.action FROM atelier_crm_consent c "
                "WHERE c.email = l.email_normalized AND c.purpose = 'sequence' "
                "AND c.action IN ('granted', 'withdrawn') "
                "ORDER BY c.date DESC, c.id DESC LIMIT 1) = 'granted'"
            ),
        ]
        if sequence.rule_source_ids:
            conditions.append(
                SQL("l.source_id = ANY(%s)", sequence.rule_source_ids.ids)
            )
        if sequence.rule_tag_ids:
            conditions.append(
                SQL(
                    "EXISTS (SELECT 1 FROM crm_tag_rel r WHERE r.lead_id = l.id "
                    "AND r.tag_id = ANY(%s))",
                    sequence.rule_tag_ids.ids,
                )
            )
        if sequence.rule_max_age_days:
            conditions.append(
                SQL(
                    "l.create_date >= %s",
                    now - timedelta(days=sequence.rule_max_age_days),
                )
            )
        self.env.cr.execute(
            SQL(
                """INSERT INTO atelier_crm_enrolment
                       (sequence_id, lead_id, partner_id, email, tz, origin, state,
                        start_at, next_step_id, next_due,
                        create_uid, write_uid, create_date, write_date)
                   SELECT %(sequence)s, l.id, l.partner_id, l.email_normalized,
                          COALESCE(p.tz, %(tz)s), 'rule', 'active',
                          %(now)s, %(step)s, %(due)s, %(uid)s, %(uid)s, %(now)s, %(now)s
                     FROM crm_lead l
                LEFT JOIN res_partner p ON p.id = l.partner_id
                    WHERE %(where)s
              ON CONFLICT (sequence_id, lead_id) DO NOTHING""",
                sequence=sequence.id,
                tz=sequence.default_tz,
                now=now,
                step=first.id,
                due=self._atelier_due(now, first),
                uid=self.env.uid,
                where=SQL(" AND ").join(conditions),
            )
        )
        count = self.env.cr.rowcount
        self.invalidate_model()
        self.env["crm.lead"].invalidate_model(["atelier_enrolment_ids"])
        return count

    # ------------------------------------------------------------------
    # Stopping on business events
    # ------------------------------------------------------------------
    @api.model
    def _atelier_stop(
        self,
        reason,
        lead_ids=(),
        partner_ids=(),
        emails=(),
        enrolment_ids=(),
        now=None,
    ):
        """Stop the running enrolments of these leads, contacts or addresses.

        On a conversion, the last e-mail sent is the one that converted.
        Returns the ids stopped.
        """
        if not (lead_ids or partner_ids or emails or enrolment_ids):
            return []
        now = now or fields.Datetime.now()
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                """UPDATE atelier_crm_enrolment
                      SET state = 'stopped', stop_reason = %(reason)s,
                          stopped_at = %(now)s, next_due = NULL,
                          write_date = %(now)s, write_uid = %(uid)s
                    WHERE state = 'active'
                      AND (lead_id = ANY(%(leads)s) OR partner_id = ANY(%(partners)s)
                           OR email = ANY(%(emails)s) OR id = ANY(%(ids)s))
                RETURNING id""",
                reason=reason,
                now=now,
                uid=self.env.uid,
                leads=list(lead_ids),
                partners=list(partner_ids),
                emails=[e for e in emails if e],
                ids=list(enrolment_ids),
            )
        )
        stopped = [row[0] for row in self.env.cr.fetchall()]
        if stopped and reason in CONVERSIONS:
            self.env.cr.execute(
                SQL(
                    """UPDATE atelier_crm_enrolment_step s SET converted = 1
                        WHERE s.id IN (
                            SELECT DISTINCT ON (enrolment_id) id
                              FROM atelier_crm_enrolment_step
                             WHERE enrolment_id = ANY(%s) AND state = 'sent'
                          ORDER BY enrolment_id, processed_at DESC, id DESC)""",
                    stopped,
                )
            )
            self.env["atelier.crm.enrolment.step"].invalidate_model(["converted"])
        if stopped:
            self.invalidate_model(["state", "stop_reason", "stopped_at", "next_due"])
        return stopped

    # ------------------------------------------------------------------
    # The engine
    # ------------------------------------------------------------------
    @api.model
    def _cron_run(self, batch_size=500):
        """Scheduler entry: batches until nothing is due or time is up."""
        self.env["atelier.crm.sequence"]._atelier_cron_enrol()
        self.env["ir.cron"]._commit_progress(0)
        total = 0
        while True:
            try:
                done = self._atelier_run_batch(limit=batch_size)
            except _RACE_ERRORS as exc:
                # another run holds or just moved these enrolments: what it
                # did is committed, ours is rolled back and done next time
                self.env.cr.rollback()
                _logger.info("Sequence run stopped on a concurrent run (%s)", exc)
                break
            if not done:
                break
            total += done
            if self.env["ir.cron"]._commit_progress(done) <= 0:
                break
        return total

    @api.model
    def _atelier_run_batch(self, limit=500, now=None):
        """Process one batch of due enrolments; returns how many were handled
        (processed, stopped or deferred to business hours)."""
        now = now or fields.Datetime.now()
        cr = self.env.cr
        self.env.flush_all()
        # lock the batch: a concurrent run skips these rows. A run that
        # loses the race to a row another run just updated gets a
        # serialization failure, handled by the caller: not an error to log
        cr.execute(
            SQL(
                """SELECT id FROM atelier_crm_enrolment
                    WHERE state = 'active' AND next_due <= %s
                 ORDER BY next_due, id LIMIT %s
                   FOR UPDATE SKIP LOCKED""",
                now,
                limit,
            ),
            log_exceptions=False,
        )
        ids = [row[0] for row in cr.fetchall()]
        if not ids:
            return 0
        enrolments = self.sudo().browse(ids)
        deferred, ready = self._atelier_business_hours(enrolments, now)
        ready = self._atelier_precheck(ready, now)
        claimed = self._atelier_claim(ready, now)
        Log = self.env["atelier.crm.enrolment.step"].sudo()
        logs = Log.browse(claimed.values())
        for step, step_logs in logs.grouped("step_id").items():
            todo = step_logs._atelier_filter_condition(step)
            (step_logs - todo)._atelier_set_state("skipped")
            if not todo:
                continue
            if step.kind == "email":
                todo._atelier_send_emails(step)
            elif step.kind == "activity":
                todo._atelier_schedule_activities(step, now)
            else:
                todo._atelier_set_state("done")
        self._atelier_advance(ready, now, deferred)
        return len(ids)

    def _atelier_business_hours(self, enrolments, now):
        """Split into (``{id: opening}`` to defer, enrolments ready now)."""
        hours_by_key = {}
        deferred = {}
        ready = self.browse()
        for enrolment in enrolments:
            sequence = enrolment.sequence_id
            key = (
                sequence.resource_calendar_id.id,
                enrolment.tz or sequence.default_tz,
            )
            hours = hours_by_key.get(key)
            if hours is None:
                hours = hours_by_key[key] = OpenHours.from_calendar(
                    sequence.resource_calendar_id, key[1], now
                )
            opening = hours.first_open(now)
            if opening is None:  # no business hour in sight: look again tomorrow
                deferred[enrolment.id] = now + timedelta(days=1)
            elif opening > now:
                deferred[enrolment.id] = opening
            else:
                ready |= enrolment
        return deferred, ready

    def _atelier_precheck(self, enrolments, now):
        """Stop the enrolments that must not go on; returns the others."""
        if not enrolments:
            return enrolments
        stops = {}
        blacklisted = set()
        emails = {e.email for e in enrolments if e.email}
        if emails:
            blacklisted = set(
                self.env["mail.blacklist"]
                .sudo()
                .search([("email", "in", list(emails))])
                .mapped("email")
            )
        consenting = self.env["atelier.crm.consent"]._atelier_granted(
            emails, "sequence", normalized=True
        )
        for enrolment in enrolments:
            lead = enrolment.lead_id
            if lead.won_status == "won":
                reason = "won"
            elif lead.won_status == "lost":
                reason = "lost"
            elif not lead.active:
                reason = "inactive"
            elif enrolment.email in blacklisted:
                reason = "unsubscribe"
            elif enrolment.next_step_id.kind == "email" and (
                enrolment.email not in consenting
            ):
                reason = "no_consent"
            elif not enrolment.next_step_id:
                reason = "manual"
            else:
                continue
            stops.setdefault(reason, []).append(enrolment.id)
        for reason, ids in stops.items():
            self._atelier_stop(reason, enrolment_ids=ids, now=now)
        stopped = {i for ids in stops.values() for i in ids}
        return enrolments.filtered(lambda e: e.id not in stopped)

    def _atelier_claim(self, enrolments, now):
        """Claim (enrolment, step) in the step log; ``{enrolment id: log id}``
        of the pairs this run won. A pair already in the log is not done
        again, whoever put it there."""
        if not enrolments:
            return {}
        rows = [
            (e.id, e.next_step_id.id, e.sequence_id.id, e.lead_id.id)
            for e in enrolments
        ]
        self.env.cr.execute(
            SQL(
                """INSERT INTO atelier_crm_enrolment_step
                       (enrolment_id, step_id, sequence_id, lead_id, state,
                        processed_at, sent, opened, clicked, replied, converted,
                        create_uid, write_uid, create_date, write_date)
                   SELECT r.enrolment_id, r.step_id, r.sequence_id, r.lead_id,
                          'claimed', %(now)s, 0, 0, 0, 0, 0,
                          %(uid)s, %(uid)s, %(now)s, %(now)s
                     FROM unnest(%(e)s::int[], %(s)s::int[], %(q)s::int[], %(l)s::int[])
                          AS r(enrolment_id, step_id, sequence_id, lead_id)
              ON CONFLICT (enrolment_id, step_id) DO NOTHING
                RETURNING enrolment_id, id""",
                now=now,
                uid=self.env.uid,
                e=[r[0] for r in rows],
                s=[r[1] for r in rows],
                q=[r[2] for r in rows],
                l=[r[3] for r in rows],
            )
        )
        claimed = dict(self.env.cr.fetchall())
        self.invalidate_model(["step_log_ids"])
        self.env["crm.lead"].invalidate_model(["atelier_enrolment_ids"])
        return claimed

    def _atelier_advance(self, enrolments, now, deferred):
        """Move processed enrolments to their next step and deferred ones to
        the opening of business hours; one UPDATE."""
        values = [
            (enrolment_id, "active", None, due)
            for enrolment_id, due in deferred.items()
        ]
        next_by_step = {}
        for enrolment in enrolments:
            step = enrolment.next_step_id
            if step.id not in next_by_step:
                next_by_step[step.id] = step._atelier_next()
            following = next_by_step[step.id]
            if not following:
                values.append((enrolment.id, "done", None, None))
                continue
            # on time, J+N; late (the scheduler was down), never two e-mails
            # of a sequence within a day
            gap = min(
                timedelta(days=1),
                timedelta(days=following.day_offset - step.day_offset),
            )
            due = max(self._atelier_due(enrolment.start_at, following), now + gap)
            values.append((enrolment.id, "active", following.id, due))
        if not values:
            return
        self.env.cr.execute(
            SQL(
                """UPDATE atelier_crm_enrolment e
                      SET state = v.state,
                          next_step_id = CASE WHEN v.deferred THEN e.next_step_id
                                              ELSE v.step END,
                          next_due = v.due, write_date = %(now)s
                     FROM unnest(%(ids)s::int[], %(states)s::varchar[],
                                 %(steps)s::int[], %(dues)s::timestamp[],
                                 %(deferred)s::bool[])
                          AS v(id, state, step, due, deferred)
                    WHERE e.id = v.id""",
                ids=[row[0] for row in values],
                states=[row[1] for row in values],
                steps=[row[2] for row in values],
                dues=[row[3] for row in values],
                deferred=[row[0] in deferred for row in values],
                now=now,
            )
        )
        self.invalidate_model(["state", "next_step_id", "next_due"])

    @api.model
    def _atelier_link_values(self, step):
        # a title given: link.tracker does not fetch each page to find one
        return {
            "title": step.name,
            "campaign_id": step.sequence_id.utm_campaign_id.id,
            "medium_id": self.env.ref("utm.utm_medium_email").id,
            "source_id": step.utm_source_id.id,
        }

    @api.model
    def _atelier_personalize(self, body, log, base_url, unsubscribe_url, token):
        """Recipient-specific links: clicks and opens counted on the step
        log, the unsubscribe link signed for the address."""
        body = re.sub(
            rf"({re.escape(base_url)}/r/[A-Za-z0-9]+)(?=[\"'])",
            rf"\g<1>/s/{log.id}",
            body,
        )
        body = body.replace(f"{base_url}{UNSUBSCRIBE_PATH}", unsubscribe_url)
        pixel = Markup(
            '<img src="%s/atelier/crm/o/%s/%s" width="1" height="1" alt="" '
            'style="display:none"/>'
        ) % (base_url, log.id, token)
        return Markup(body) + pixel
