# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import logging
from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL

_logger = logging.getLogger(__name__)

DIMENSIONS = ("fuel_type", "region", "profile")
# a cap that never binds (a dimension value without a quota line)
NO_CAP = 2_000_000_000

# the waiting list ranked once, with each person's three caps
_DRAW_TABLE = """
CREATE TEMPORARY TABLE atelier_beta_draw ON COMMIT DROP AS
SELECT s.id, s.fuel_type, s.region, s.profile,
       row_number() OVER (ORDER BY s.rank_score, s.queue_number, s.id)::int AS pos,
       'u'::char(1) AS st,
       COALESCE(qf.places, %(none)s) AS cap_fuel,
       COALESCE(qr.places, %(none)s) AS cap_region,
       COALESCE(qp.places, %(none)s) AS cap_profile
  FROM atelier_beta_signup s
  LEFT JOIN atelier_beta_batch_quota qf
    ON qf.batch_id = %(batch)s AND qf.dimension = 'fuel_type'
   AND qf.value = s.fuel_type
  LEFT JOIN atelier_beta_batch_quota qr
    ON qr.batch_id = %(batch)s AND qr.dimension = 'region' AND qr.value = s.region
  LEFT JOIN atelier_beta_batch_quota qp
    ON qp.batch_id = %(batch)s AND qp.dimension = 'profile' AND qp.value = s.profile
 WHERE s.state = 'waiting'
   AND NOT EXISTS (SELECT 1 FROM atelier_beta_invitation i
                    WHERE i.signup_id = s.id AND i.state IN ('draft', 'sent'))
"""
# one pass: t_* = taken ahead, u_* = undecided ahead (all, same fuel, region,
# profile); settle who is sure to be taken or sure to be left out
_DRAW_PASS = """
WITH counts AS (
    SELECT d.id,
           count(*) FILTER (WHERE d.st = 't') OVER w_all AS t_all,
           count(*) FILTER (WHERE d.st = 'u') OVER w_all AS u_all,
           count(*) FILTER (WHERE d.st = 't') OVER w_fuel AS t_fuel,
           count(*) FILTER (WHERE d.st = 'u') OVER w_fuel AS u_fuel,
           count(*) FILTER (WHERE d.st = 't') OVER w_region AS t_region,
           count(*) FILTER (WHERE d.st = 'u') OVER w_region AS u_region,
           count(*) FILTER (WHERE d.st = 't') OVER w_profile AS t_profile,
           count(*) FILTER (WHERE d.st = 'u') OVER w_profile AS u_profile
      FROM atelier_beta_draw d
     WHERE d.st <> 'r' AND d.pos <= %(head)s
    WINDOW w_all AS (ORDER BY d.pos
                     ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING),
           w_fuel AS (PARTITION BY d.fuel_type ORDER BY d.pos
                      ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING),
           w_region AS (PARTITION BY d.region ORDER BY d.pos
                        ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING),
           w_profile AS (PARTITION BY d.profile ORDER BY d.pos
                         ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING)
), verdict AS (
    SELECT d.id,
           CASE
             WHEN c.t_all >= %(size)s OR c.t_fuel >= d.cap_fuel
                  OR c.t_region >= d.cap_region OR c.t_profile >= d.cap_profile
               THEN 'r'
             WHEN c.t_all + c.u_all < %(size)s
                  AND c.t_fuel + c.u_fuel < d.cap_fuel
                  AND c.t_region + c.u_region < d.cap_region
                  AND c.t_profile + c.u_profile < d.cap_profile
               THEN 't'
           END AS st
      FROM counts c
      JOIN atelier_beta_draw d ON d.id = c.id
     WHERE d.st = 'u'
)
UPDATE atelier_beta_draw d
   SET st = v.st
  FROM verdict v
 WHERE d.id = v.id AND v.st IS NOT NULL
"""
_DRAW_INSERT = """
INSERT INTO atelier_beta_invitation
       (signup_id, batch_id, state, create_uid, create_date, write_uid, write_date)
SELECT d.id, %(batch)s, 'draft', %(uid)s, now() at time zone 'UTC',
       %(uid)s, now() at time zone 'UTC'
  FROM atelier_beta_draw d
 WHERE d.st = 't'
 ORDER BY d.pos
"""


class AtelierBetaBatch(models.Model):
    """A wave of invitations: a size, quotas, and the people drawn for it.

    The draw goes down the waitlist in rank order (see the sign-up model)
    and takes a person unless the quota of their fuel type, region or
    profile is full; it stops when the batch is full. A value without a
    quota line is not limited; a quota of 0 leaves that value out. When
    the quotas of a dimension add up to the size, the batch has exactly
    that make-up (as long as the queue has the people).

    It runs in PostgreSQL: the ranked queue is a window function; the
    quotas are settled by a few set-based passes over the head of the
    queue, each pass deciding every person whose fate no undecided person
    ahead of them can change any more (see ``_atelier_draw``).
    """

    _name = "atelier.beta.batch"
    _description = "Beta invitation batch"
    _inherit = ["mail.thread"]
    _order = "id desc"

    name = fields.Char(required=True, tracking=True)
    size = fields.Integer(required=True, default=100, tracking=True)
    validity_days = fields.Integer(
        "Invitations valid for (days)",
        required=True,
        default=lambda self: self.env["atelier.beta.signup"]._atelier_param(
            "invitation_days", 7
        ),
    )
    state = fields.Selection(
        [("draft", "Draft"), ("sent", "Invitations sent")],
        default="draft",
        required=True,
        readonly=True,
        tracking=True,
    )
    quota_ids = fields.One2many(
        "atelier.beta.batch.quota", "batch_id", string="Quotas", copy=True
    )
    invitation_ids = fields.One2many(
        "atelier.beta.invitation", "batch_id", readonly=True
    )
    sent_at = fields.Datetime(readonly=True)
    drawn_count = fields.Integer("Drawn", compute="_compute_stats")
    invited_count = fields.Integer("Invitations", compute="_compute_stats")
    accepted_count = fields.Integer("Acceptances", compute="_compute_stats")
    activated_count = fields.Integer("Activations", compute="_compute_stats")
    active_d1 = fields.Integer("Active at D1", compute="_compute_stats")
    active_d7 = fields.Integer("Active at D7", compute="_compute_stats")
    active_d30 = fields.Integer("Active at D30", compute="_compute_stats")
    eligible_d1 = fields.Integer("Measured at D1", compute="_compute_stats")
    eligible_d7 = fields.Integer("Measured at D7", compute="_compute_stats")
    eligible_d30 = fields.Integer("Measured at D30", compute="_compute_stats")
    acceptance_rate = fields.Float(
        "Acceptance (%)", compute="_compute_stats", digits=(5, 1)
    )
    activation_rate = fields.Float(
        "Activation (%)", compute="_compute_stats", digits=(5, 1)
    )
    retention_d1 = fields.Float(
        "D1 retention (%)", compute="_compute_stats", digits=(5, 1)
    )
    retention_d7 = fields.Float(
        "D7 retention (%)", compute="_compute_stats", digits=(5, 1)
    )
    retention_d30 = fields.Float(
        "D30 retention (%)", compute="_compute_stats", digits=(5, 1)
    )

    _size_positive = models.Constraint(
        "CHECK (size > 0)", "A batch invites at least one person."
    )
    _validity_positive = models.Constraint(
        "CHECK (validity_days > 0)", "Invitations are valid for at least one day."
    )

    def _compute_stats(self):
        stats = self.env["atelier.beta.dashboard"]._atelier_batch_figures(self.ids)
        for batch in self:
            row = stats.get(batch.id, {})
            for fname in (
                "drawn_count",
                "invited_count",
                "accepted_count",
                "activated_count",
                "active_d1",
                "active_d7",
                "active_d30",
                "eligible_d1",
                "eligible_d7",
                "eligible_d30",
            ):
                batch[fname] = row.get(fname, 0)

            def pct(part, whole):
                return round(100.0 * part / whole, 1) if whole else 0.0

            batch.acceptance_rate = pct(batch.accepted_count, batch.invited_count)
            batch.activation_rate = pct(batch.activated_count, batch.accepted_count)
            batch.retention_d1 = pct(batch.active_d1, batch.eligible_d1)
            batch.retention_d7 = pct(batch.active_d7, batch.eligible_d7)
            batch.retention_d30 = pct(batch.active_d30, batch.eligible_d30)

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------
    def action_draw(self):
        """Fill the batch from the waitlist (again: the last draw is undone)."""
        self.env["atelier.beta.signup"]._atelier_check_manager()
        for batch in self:
            if batch.state != "draft":
                raise UserError(self.env._("Only a draft batch can be drawn."))
            count = batch.sudo()._atelier_draw()
            batch.message_post(
                body=self.env._(
                    "%(count)s people drawn from the waitlist.", count=count
                )
            )
        return True

    def action_send(self):
        """Send the drawn people their invitation."""
        self.env["atelier.beta.signup"]._atelier_check_manager()
        for batch in self:
            if batch.state != "draft":
                raise UserError(
                    self.env._("The invitations of this batch are sent already.")
                )
            drafts = batch.sudo().invitation_ids.filtered(
                lambda inv: inv.state == "draft"
            )
            if not drafts:
                raise UserError(self.env._("Draw the batch first: nobody is in it."))
            drafts._atelier_send()
            batch.sudo().write({"state": "sent", "sent_at": fields.Datetime.now()})
            batch.message_post(
                body=self.env._("%(count)s invitations sent.", count=len(drafts))
            )
        return True

    def action_view_invitations(self):
        self.ensure_one()
        return self.invitation_ids._get_records_action(name=self.env._("Invitations"))

    # ------------------------------------------------------------------
    # The draw
    # ------------------------------------------------------------------
    def _atelier_draw(self):
        """Draw this batch; returns how many people it holds.

        1. the waitlist ranked once (a window function) into a temporary
           table, people with an open invitation left out;
        2. passes over the head of that queue: a person is *taken* when even
           if every undecided person ahead were taken, the batch and each of
           their quotas would still have room; *rejected* when the people
           already taken ahead fill the batch or one of their quotas. The
           best-ranked undecided person is always settled, so it ends; each
           pass is one UPDATE with three partitioned running counts;
        3. the head grows (doubling) until the batch is full or the queue
           ends; the draft invitations are inserted in one statement.
        """
        self.ensure_one()
        cr = self.env.cr
        self.env.flush_all()
        cr.execute(
            SQL(
                "DELETE FROM atelier_beta_invitation "
                "WHERE batch_id = %s AND state = 'draft'",
                self.id,
            )
        )
        cr.execute(SQL("DROP TABLE IF EXISTS atelier_beta_draw"))
        cr.execute(SQL(_DRAW_TABLE, batch=self.id, none=NO_CAP))
        cr.execute(SQL("CREATE INDEX ON atelier_beta_draw (pos)"))
        cr.execute(SQL("SELECT count(*) FROM atelier_beta_draw"))
        total = cr.fetchone()[0]
        head = min(total, max(self.size * 2, 64))
        passes = 0
        while True:
            passes += 1
            cr.execute(SQL(_DRAW_PASS, head=head, size=self.size))
            settled = cr.rowcount
            cr.execute(
                SQL(
                    """SELECT count(*) FILTER (WHERE st = 'u' AND pos <= %(head)s),
                              count(*) FILTER (WHERE st = 't')
                         FROM atelier_beta_draw""",
                    head=head,
                )
            )
            undecided, taken = cr.fetchone()
            if undecided and not settled:
                # cannot happen: the best-ranked undecided person is always settled
                raise UserError(self.env._("The draw could not settle its quotas."))
            if undecided:
                continue
            if taken >= self.size or head >= total:
                break
            head = min(total, head * 2)
        cr.execute(SQL(_DRAW_INSERT, batch=self.id, uid=self.env.uid))
        cr.execute(SQL("DROP TABLE atelier_beta_draw"))
        self.env["atelier.beta.invitation"].invalidate_model()
        self.invalidate_recordset(["invitation_ids"])
        _logger.info(
            "Beta batch %s: %s drawn from %s waiting in %s passes",
            self.id,
            taken,
            total,
            passes,
        )
        return taken

    # ------------------------------------------------------------------
    # The plain way (benchmark and tests compare the draw with it)
    # ------------------------------------------------------------------
    def _atelier_draw_naive(self):
        """The same draw as an ORM loop: every waiting person read, ranked in
        Python, walked one by one, one invitation created per person."""
        self.ensure_one()
        Signup = self.env["atelier.beta.signup"].sudo()
        Invitation = self.env["atelier.beta.invitation"].sudo()
        self.invitation_ids.filtered(lambda inv: inv.state == "draft").unlink()
        caps = {}
        for quota in self.quota_ids:
            caps[(quota.dimension, quota.value)] = quota.places
        busy = set(
            Invitation.search([("state", "in", ("draft", "sent"))])
            .mapped("signup_id")
            .ids
        )
        places = Signup._atelier_param("places_per_referral", 10)
        cap = Signup._atelier_param("max_referral_credits", 10)
        waiting = Signup.search([("state", "=", "waiting")], order="id")
        ranked = sorted(
            (s for s in waiting if s.id not in busy),
            key=lambda s: (
                s.queue_number - places * min(s.referral_credits, cap),
                s.queue_number,
                s.id,
            ),
        )
        counts = {}
        taken = 0
        for signup in ranked:
            if taken >= self.size:
                break
            keys = [(dim, signup[dim]) for dim in DIMENSIONS]
            if any(counts.get(key, 0) >= caps.get(key, NO_CAP) for key in keys):
                continue
            for key in keys:
                counts[key] = counts.get(key, 0) + 1
            Invitation.create(
                {"signup_id": signup.id, "batch_id": self.id, "state": "draft"}
            )
            taken += 1
        return taken

    @api.model
    def _atelier_expiry_for(self, days):
        return fields.Datetime.now() + timedelta(days=days)
