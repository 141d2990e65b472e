# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import SQL


class AtelierBetaVote(models.Model):
    """One activated tester's vote for a piece of feedback. The unique key
    makes it one per person, whatever the number of clicks."""

    _name = "atelier.beta.vote"
    _description = "Beta feedback vote"
    _order = "id desc"

    feedback_id = fields.Many2one(
        "atelier.beta.feedback", required=True, index=True, ondelete="cascade"
    )
    signup_id = fields.Many2one(
        "atelier.beta.signup",
        string="Tester",
        required=True,
        index=True,
        ondelete="cascade",
    )

    _vote_uniq = models.Constraint(
        "UNIQUE (feedback_id, signup_id)", "A tester votes once for a feedback."
    )

    @api.model
    def _atelier_vote(self, feedback, signup):
        """``signup`` votes for ``feedback``; returns True for a new vote,
        False when they had voted already. Refused (AccessError /
        UserError) for someone not activated, their own feedback, or a
        feedback closed to votes."""
        if signup.state != "tester" or not signup.activated_at:
            raise AccessError(self.env._("Only testers who have used the app vote."))
        feedback = feedback.sudo()
        if feedback.author_id == signup:
            raise UserError(self.env._("You cannot vote for your own feedback."))
        if feedback.state not in ("new", "accepted") or feedback.kind == "praise":
            raise UserError(self.env._("This feedback takes no votes."))
        added = self._atelier_add_votes(feedback, signup)
        feedback._atelier_count_votes()
        return bool(added)

    @api.model
    def _atelier_add_votes(self, feedback, signups):
        """Insert the votes of ``signups`` for ``feedback`` that do not exist
        yet (never the author's); returns the ids of the new votes."""
        signups = signups.filtered(lambda s: s != feedback.author_id and s.activated_at)
        if not signups:
            return []
        self.env.cr.execute(
            SQL(
                """INSERT INTO atelier_beta_vote
                    (feedback_id, signup_id, create_uid, create_date,
                     write_uid, write_date)
                SELECT %(feedback)s, unnest(%(signups)s::int[]), %(uid)s,
                       now() at time zone 'UTC', %(uid)s, now() at time zone 'UTC'
                ON CONFLICT (feedback_id, signup_id) DO NOTHING
                RETURNING id""",
                feedback=feedback.id,
                signups=signups.ids,
                uid=self.env.uid,
            )
        )
        ids = [row[0] for row in self.env.cr.fetchall()]
        self.invalidate_model()
        feedback.invalidate_recordset(["vote_ids"])
        return ids
