# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import hashlib
from datetime import datetime, time

import pytz

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL

GENESIS = "0" * 64


class AtelierAcademySignature(models.Model):
    """Signed presence for a half-day (émargement), chained by SHA-256.

    Each signature hashes its content with the hash of the learner's
    previous signature: changing or removing one breaks every later hash.
    The coach countersigns.
    """

    _name = "atelier.academy.signature"
    _description = "Signed presence (half-day)"
    _order = "day desc, half_day desc, id desc"

    enrolment_id = fields.Many2one(
        "atelier.academy.enrolment", required=True, ondelete="restrict", index=True
    )
    partner_id = fields.Many2one(
        "res.partner", string="Learner", required=True, index=True, readonly=True
    )
    coach_id = fields.Many2one(related="enrolment_id.coach_id", string="Coach")
    day = fields.Date(required=True, readonly=True)
    half_day = fields.Selection(
        [("am", "Morning"), ("pm", "Afternoon")], required=True, readonly=True
    )
    session_id = fields.Many2one("atelier.academy.session", readonly=True)
    signed_at = fields.Datetime(required=True, readonly=True)
    ip_address = fields.Char("IP address", readonly=True)
    user_agent = fields.Char(readonly=True)
    content = fields.Text("Signed content", readonly=True)
    previous_hash = fields.Char(readonly=True)
    hash = fields.Char("SHA-256", readonly=True, index=True)
    countersigned_by = fields.Many2one("res.users", readonly=True)
    countersigned_at = fields.Datetime(readonly=True)
    countersign_hash = fields.Char(readonly=True)

    _half_day_uniq = models.Constraint(
        "UNIQUE (partner_id, day, half_day)",
        "This half-day is already signed.",
    )

    @api.depends("partner_id", "day", "half_day")
    def _compute_display_name(self):
        labels = dict(self._fields["half_day"]._description_selection(self.env))
        for signature in self:
            signature.display_name = (
                f"{signature.partner_id.name} — {signature.day} "
                f"{labels.get(signature.half_day, '')}"
            )

    # ------------------------------------------------------------------
    # Signing
    # ------------------------------------------------------------------
    @api.model
    def _atelier_current_half_day(self, partner, now=None):
        """(day, 'am'|'pm') in the learner's time zone."""
        now = now or fields.Datetime.now()
        tz = pytz.timezone(partner.tz or self.env.user.tz or "Europe/Paris")
        local = pytz.utc.localize(now).astimezone(tz)
        return local.date(), "am" if local.hour < 13 else "pm"

    @api.model
    def _atelier_sign(self, enrolment, ip_address="", user_agent="", now=None):
        """Sign the current half-day for the learner of ``enrolment``.

        The caller has checked that the current user is that learner. A
        second signature of the same half-day is refused (UserError), and
        nothing is written.
        """
        if enrolment.state != "active":
            raise UserError(self.env._("This enrolment is not in progress."))
        partner = enrolment.partner_id
        now = now or fields.Datetime.now()
        day, half_day = self._atelier_current_half_day(partner, now)
        # serialize the learner's signatures: the chain has one head
        self.env.cr.execute(
            SQL(
                "SELECT pg_advisory_xact_lock(hashtext(%s))",
                f"atelier_academy_signature:{partner.id}",
            )
        )
        Signature = self.sudo()
        if Signature.search_count(
            [
                ("partner_id", "=", partner.id),
                ("day", "=", day),
                ("half_day", "=", half_day),
            ]
        ):
            raise UserError(
                self.env._("You have already signed your presence for this half-day.")
            )
        previous = Signature.search(
            [("partner_id", "=", partner.id)], order="id desc", limit=1
        )
        previous_hash = previous.hash or GENESIS
        session = self._atelier_session_of(enrolment, day, half_day, partner)
        content = "\n".join(
            [
                f"learner={partner.id}",
                f"enrolment={enrolment.id}",
                f"day={day.isoformat()}",
                f"half_day={half_day}",
                f"session={session.id or ''}",
                f"signed_at={now.isoformat()}",
                f"ip={ip_address or ''}",
                f"user_agent={(user_agent or '')[:500]}",
            ]
        )
        return Signature.create(
            {
                "enrolment_id": enrolment.id,
                "partner_id": partner.id,
                "day": day,
                "half_day": half_day,
                "session_id": session.id,
                "signed_at": now,
                "ip_address": ip_address,
                "user_agent": (user_agent or "")[:500],
                "content": content,
                "previous_hash": previous_hash,
                "hash": self._atelier_hash(previous_hash, content),
            }
        )

    @api.model
    def _atelier_hash(self, previous_hash, content):
        return hashlib.sha256(f"{previous_hash}\n{content}".encode()).hexdigest()

    @api.model
    def _atelier_session_of(self, enrolment, day, half_day, partner):
        """The coaching session of that half-day the learner attends, if any."""
        tz = pytz.timezone(partner.tz or "Europe/Paris")
        start = datetime.combine(day, time(0 if half_day == "am" else 13))
        stop = datetime.combine(day, time(13) if half_day == "am" else time(23, 59))
        start_utc = tz.localize(start).astimezone(pytz.utc).replace(tzinfo=None)
        stop_utc = tz.localize(stop).astimezone(pytz.utc).replace(tzinfo=None)
        return (
            self.env["atelier.academy.attendance"]
            .sudo()
            .search(
                [
                    ("enrolment_id", "=", enrolment.id),
                    ("session_id.start", ">=", start_utc),
                    ("session_id.start", "<", stop_utc),
                ],
                limit=1,
            )
            .session_id
        )

    @api.model
    def _atelier_verify_chain(self, partner):
        """The first signature of ``partner`` whose hash does not check, or empty."""
        previous_hash = GENESIS
        for signature in self.sudo().search(
            [("partner_id", "=", partner.id)], order="id"
        ):
            expected = self._atelier_hash(previous_hash, signature.content or "")
            if signature.previous_hash != previous_hash or signature.hash != expected:
                return signature
            previous_hash = signature.hash
        return self.browse()

    def action_countersign(self):
        """The coach (or a manager) countersigns; the learner cannot."""
        if not self.env.user.has_group("atelier_base.group_coach"):
            raise UserError(self.env._("Only a coach countersigns a presence."))
        # the record rules decide which learners this coach may countersign
        self.check_access("write")
        now = fields.Datetime.now()
        for signature in self.filtered(lambda s: not s.countersigned_at):
            signature.sudo().write(
                {
                    "countersigned_by": self.env.uid,
                    "countersigned_at": now,
                    "countersign_hash": hashlib.sha256(
                        f"{signature.hash}\ncoach={self.env.uid}\n"
                        f"at={now.isoformat()}".encode()
                    ).hexdigest(),
                }
            )
        return True
