# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import timedelta

from odoo import api, fields, models
from odoo.tools import SQL


class AtelierAcademyConnection(models.Model):
    """Connection log of learners: logins and measured learning sessions.

    A session starts with the first heartbeat and grows with each one until
    a silence longer than the gap; every tab of the learner feeds the same
    session, so time is never counted twice.
    """

    _name = "atelier.academy.connection"
    _description = "Learner connection log"
    _order = "start desc, id desc"

    partner_id = fields.Many2one(
        "res.partner", string="Learner", required=True, readonly=True, index=True
    )
    kind = fields.Selection(
        [("login", "Login"), ("session", "Learning session")],
        required=True,
        readonly=True,
    )
    start = fields.Datetime(required=True, readonly=True)
    stop = fields.Datetime(readonly=True)
    seconds = fields.Integer(
        "Credited time (s)", readonly=True, help="Time credited to lessons."
    )
    beats = fields.Integer("Heartbeats", readonly=True)
    ip_address = fields.Char("IP address", readonly=True)
    user_agent = fields.Char(readonly=True)

    _partner_kind_stop_idx = models.Index("(partner_id, kind, stop DESC)")

    @api.model
    def _atelier_touch_session(self, partner, now, cap, gap, ip_address, user_agent):
        """Extend the learner's session (or open one); return the credit (s).

        The learner's last session row is locked, so concurrent heartbeats
        of several tabs credit the wall-clock time once.
        """
        cr = self.env.cr
        cr.execute(
            SQL(
                """SELECT id, stop FROM atelier_academy_connection
                    WHERE partner_id = %s AND kind = 'session'
                 ORDER BY stop DESC LIMIT 1 FOR UPDATE""",
                partner.id,
            )
        )
        row = cr.fetchone()
        if row and row[1] and timedelta(0) <= now - row[1] <= timedelta(seconds=gap):
            credit = int(min((now - row[1]).total_seconds(), cap))
            cr.execute(
                SQL(
                    """UPDATE atelier_academy_connection
                          SET stop = %s, seconds = seconds + %s, beats = beats + 1,
                              write_date = %s
                        WHERE id = %s""",
                    now,
                    credit,
                    now,
                    row[0],
                )
            )
        elif row and row[1] and row[1] > now:
            # a concurrent beat of another tab already moved the session on
            credit = 0
        else:
            credit = 0
            cr.execute(
                SQL(
                    """INSERT INTO atelier_academy_connection
                           (partner_id, kind, start, stop, seconds, beats, ip_address,
                            user_agent, create_uid, create_date, write_uid, write_date)
                    VALUES (%s, 'session', %s, %s, 0, 1, %s, %s, %s, %s, %s, %s)""",
                    partner.id,
                    now,
                    now,
                    (ip_address or "")[:64],
                    (user_agent or "")[:500],
                    self.env.uid,
                    now,
                    self.env.uid,
                    now,
                )
            )
        self.invalidate_model()
        return credit

    @api.model
    def _atelier_log_login(self, user, ip_address="", user_agent=""):
        """A login of a learner (a partner with an enrolment)."""
        partner = user.partner_id
        self.env.cr.execute(
            SQL(
                """SELECT 1 FROM atelier_academy_enrolment
                    WHERE partner_id = %s AND state != 'revoked' LIMIT 1""",
                partner.id,
            )
        )
        if not self.env.cr.fetchone():
            return self.browse()
        now = fields.Datetime.now()
        return self.sudo().create(
            {
                "partner_id": partner.id,
                "kind": "login",
                "start": now,
                "stop": now,
                "ip_address": (ip_address or "")[:64],
                "user_agent": (user_agent or "")[:500],
            }
        )
