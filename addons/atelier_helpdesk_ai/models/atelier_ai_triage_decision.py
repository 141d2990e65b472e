# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models

SENTIMENTS = [
    ("positive", "Satisfied"),
    ("neutral", "Neutral"),
    ("negative", "Unhappy"),
    ("angry", "Angry"),
]
SOURCES = [("model", "Language model"), ("offline", "Rules")]
FIELDS = ("type", "priority", "sentiment")


def _priority_selection(model):
    return model.env["helpdesk.ticket"]._fields["priority"].selection


class AtelierAiTriageDecision(models.Model):
    """What Claire did with a triage suggestion: the suggested and the final
    value of each field. One line per decision, written by the ticket's
    accept button; the accuracy report reads them."""

    _name = "atelier.ai.triage.decision"
    _description = "Triage decision"
    _order = "id desc"
    _rec_name = "ticket_id"

    ticket_id = fields.Many2one(
        "helpdesk.ticket", required=True, readonly=True, ondelete="cascade", index=True
    )
    user_id = fields.Many2one("res.users", readonly=True)
    decision = fields.Selection(
        [("accepted", "Accepted"), ("overridden", "Overridden")],
        required=True,
        readonly=True,
    )
    source = fields.Selection(SOURCES, readonly=True)
    reason = fields.Char(readonly=True)
    suggested_type_id = fields.Many2one("helpdesk.ticket.type", readonly=True)
    final_type_id = fields.Many2one("helpdesk.ticket.type", readonly=True)
    suggested_priority = fields.Selection(_priority_selection, readonly=True)
    final_priority = fields.Selection(_priority_selection, readonly=True)
    suggested_sentiment = fields.Selection(SENTIMENTS, readonly=True)
    final_sentiment = fields.Selection(SENTIMENTS, readonly=True)
    # 100 when the suggestion was kept, 0 otherwise: their average is the
    # accuracy of the suggestions
    type_score = fields.Float(string="Type right (%)", readonly=True, aggregator="avg")
    priority_score = fields.Float(
        string="Priority right (%)", readonly=True, aggregator="avg"
    )
    sentiment_score = fields.Float(
        string="Mood right (%)", readonly=True, aggregator="avg"
    )

    _create_date_idx = models.Index("(create_date)")

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            for name in FIELDS:
                suggested_key = f"suggested_{name}" + ("_id" if name == "type" else "")
                final_key = f"final_{name}" + ("_id" if name == "type" else "")
                right = vals.get(suggested_key) == vals.get(final_key)
                vals[f"{name}_score"] = 100.0 if right else 0.0
        return super().create(vals_list)

    @api.model
    def _accuracy(self, date_from=None, date_to=None, source=None):
        """{field: {"count", "right", "rate"}} of the decisions taken in the
        period (datetimes, both optional), for one source or all."""
        domain = []
        if date_from:
            domain.append(("create_date", ">=", date_from))
        if date_to:
            domain.append(("create_date", "<", date_to))
        if source:
            domain.append(("source", "=", source))
        [(count, *scores)] = self._read_group(
            domain, [], ["__count"] + [f"{name}_score:avg" for name in FIELDS]
        )
        return {
            name: {
                "count": count,
                "right": round((score or 0.0) * count / 100),
                "rate": round(score or 0.0, 1),
            }
            for name, score in zip(FIELDS, scores, strict=True)
        }
