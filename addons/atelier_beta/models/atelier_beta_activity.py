# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import pytz

from odoo import api, fields, models
from odoo.tools import SQL

from .atelier_beta_signup import BETA_TZ


class AtelierBetaActivity(models.Model):
    """A day (in the beta's time zone) on which a tester used the app. One
    row per tester and day, whatever the number of sessions: retention and
    weekly actives are counted from it."""

    _name = "atelier.beta.activity"
    _description = "Beta tester activity day"
    _order = "day desc, id desc"
    _log_access = False

    signup_id = fields.Many2one(
        "atelier.beta.signup", required=True, index=True, ondelete="cascade"
    )
    day = fields.Date(required=True, index=True)

    _day_uniq = models.Constraint(
        "UNIQUE (signup_id, day)", "One row per tester and day."
    )

    @api.model
    def _atelier_day(self, moment):
        """The beta's calendar day of a naive UTC datetime."""
        return pytz.utc.localize(moment).astimezone(pytz.timezone(BETA_TZ)).date()

    @api.model
    def _atelier_add(self, signups, day):
        """Mark ``signups`` active on ``day`` (idempotent: the unique key
        decides)."""
        if not signups:
            return
        self.env.cr.execute(
            SQL(
                """INSERT INTO atelier_beta_activity (signup_id, day)
                   SELECT unnest(%s::int[]), %s
                   ON CONFLICT (signup_id, day) DO NOTHING""",
                signups.ids,
                day,
            )
        )
        self.invalidate_model()
        signups.invalidate_recordset(["activity_ids"])

    @api.model
    def _atelier_today(self):
        return self._atelier_day(fields.Datetime.now())
