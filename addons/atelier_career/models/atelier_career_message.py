# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class AtelierCareerMessage(models.Model):
    """One line of an interview's transcript."""

    _name = "atelier.career.message"
    _description = "Interview line"
    _order = "session_id, id"

    session_id = fields.Many2one(
        "atelier.career.session", required=True, index=True, ondelete="cascade"
    )
    user_id = fields.Many2one(related="session_id.user_id", store=True, index=True)
    role = fields.Selection(
        [("persona", "Interviewer"), ("learner", "Learner"), ("notice", "Notice")],
        required=True,
    )
    kind = fields.Selection(
        [
            ("question", "Question"),
            ("followup", "Follow-up"),
            ("nudge", "Nudge"),
            ("closing", "Closing"),
            ("answer", "Answer"),
            ("notice", "Notice"),
        ],
        default="answer",
    )
    content = fields.Text(required=True)
    truncated = fields.Boolean(help="The answer was cut to the maximum length.")
    by_voice = fields.Boolean(help="Dictated with the browser's speech recognition.")
