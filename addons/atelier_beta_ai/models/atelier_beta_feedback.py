# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models

from odoo.addons.atelier_beta.models.atelier_beta_feedback import KINDS

from ..tools import feedback_rules

TEAM = "atelier_beta.group_beta_user"
FEATURE = "beta_feedback_triage"
# open feedback compared with a new one (the newest first)
CANDIDATES = 500
# candidates shown to the model: the closest by the rules
MODEL_CANDIDATES = 10
CRON_BATCH = 50

SYSTEM_PROMPT = """You triage the feedback that beta testers of a car \
diagnostic app (OBD-II) send, in French. Answer in JSON only:
- "kind": "bug" (something does not work as it should), "idea" (a wish, a \
missing feature) or "praise" (thanks, nothing to fix);
- "sentiment": "positive", "neutral" or "negative" (the tester's mood);
- "duplicate_ids": the ids, among the candidates listed, of the feedback \
that report the same problem or ask for the same thing (none if unsure, at \
most 3);
- "reason": one short sentence in French saying why."""


class AtelierBetaFeedback(models.Model):
    _inherit = "atelier.beta.feedback"

    atelier_ai_kind = fields.Selection(
        KINDS, string="Suggested category", readonly=True, groups=TEAM
    )
    atelier_ai_sentiment = fields.Selection(
        [("positive", "Positive"), ("neutral", "Neutral"), ("negative", "Negative")],
        string="Sentiment",
        readonly=True,
        groups=TEAM,
    )
    atelier_ai_duplicate_ids = fields.Many2many(
        "atelier.beta.feedback",
        "atelier_beta_feedback_ai_duplicate_rel",
        "feedback_id",
        "duplicate_id",
        string="Likely duplicates",
        readonly=True,
        groups=TEAM,
    )
    atelier_ai_reason = fields.Char("Why this suggestion", readonly=True, groups=TEAM)
    atelier_ai_source = fields.Selection(
        [("offline", "Rules"), ("model", "Language model")],
        string="Suggested by",
        readonly=True,
        groups=TEAM,
    )
    atelier_ai_queued = fields.Boolean(
        "Waiting for the model", readonly=True, groups=TEAM
    )

    @api.model_create_multi
    def create(self, vals_list):
        feedbacks = super().create(vals_list)
        feedbacks._atelier_ai_suggest_new()
        return feedbacks

    # ------------------------------------------------------------------
    # Action of the team
    # ------------------------------------------------------------------
    def action_atelier_ai_suggest(self):
        """Suggest again now (the model when in use, else the rules)."""
        self.env["atelier.beta.signup"]._atelier_check_team()
        self.check_access("read")
        for feedback in self.sudo():
            feedback._atelier_ai_apply(feedback._atelier_ai_suggestion())
        return True

    # ------------------------------------------------------------------
    # Suggestions
    # ------------------------------------------------------------------
    def _atelier_ai_suggest_new(self):
        """The rules' suggestion at once; when a language model is in use,
        the scheduled job refines it shortly after (no tester waits for a
        model)."""
        feedbacks = self.sudo()
        for feedback in feedbacks:
            feedback._atelier_ai_apply(feedback._atelier_ai_offline())
        if feedbacks and self.env["atelier.ai"]._uses_model(FEATURE):
            feedbacks.write({"atelier_ai_queued": True})
            self.env.ref("atelier_beta_ai.ir_cron_feedback_triage").sudo()._trigger()

    @api.model
    def _atelier_ai_suggest_open(self):
        """The rules' suggestion for the new feedback that has none (posted
        before this addon was installed)."""
        feedbacks = self.sudo().search(
            [("state", "=", "new"), ("atelier_ai_source", "=", False)]
        )
        for feedback in feedbacks:
            feedback._atelier_ai_apply(feedback._atelier_ai_offline())
        return len(feedbacks)

    @api.model
    def _atelier_ai_cron(self):
        """Ask the model about the queued feedback."""
        queued = self.sudo().search(
            [("atelier_ai_queued", "=", True)], limit=CRON_BATCH, order="id"
        )
        for feedback in queued:
            if feedback.state == "new":
                feedback._atelier_ai_apply(feedback._atelier_ai_suggestion())
            feedback.atelier_ai_queued = False
            if self.env.context.get("ir_cron_progress_id"):
                self.env["ir.cron"]._commit_progress(1)
        return len(queued)

    def _atelier_ai_candidates(self):
        """``[(id, title, description)]`` of the open feedback this one
        could duplicate (not itself, not merged nor declined)."""
        self.ensure_one()
        others = self.sudo().search_read(
            [
                ("id", "!=", self.id),
                ("state", "in", ("new", "accepted")),
            ],
            ["name", "description"],
            limit=CANDIDATES,
            order="id desc",
        )
        return [(row["id"], row["name"], row["description"]) for row in others]

    def _atelier_ai_offline(self, candidates=None):
        """The rules' suggestion (see tools/feedback_rules.py)."""
        self.ensure_one()
        if candidates is None:
            candidates = self._atelier_ai_candidates()
        found = feedback_rules.read(self.name, self.description, self.kind)
        duplicates = feedback_rules.likely_duplicates(
            self.name, self.description, candidates
        )
        kinds = dict(self._fields["kind"]._description_selection(self.env))
        reasons = []
        if found["kind_words"]:
            reasons.append(
                self.env._(
                    "%(words)s: %(kind)s",
                    words=self._atelier_ai_quote(found["kind_words"]),
                    kind=kinds[found["kind"]].lower(),
                )
            )
        if found["sentiment_words"]:
            moods = dict(
                self._fields["atelier_ai_sentiment"]._description_selection(self.env)
            )
            reasons.append(
                self.env._(
                    "%(words)s: %(mood)s tone",
                    words=self._atelier_ai_quote(found["sentiment_words"]),
                    mood=moods[found["sentiment"]].lower(),
                )
            )
        if duplicates:
            reasons.append(
                self.env._("%(count)s close feedback", count=len(duplicates))
            )
        reason = (
            " · ".join(reasons)
            if reasons
            else self.env._("No telling word: the tester's own category.")
        )
        return {
            "kind": found["kind"],
            "sentiment": found["sentiment"],
            "duplicate_ids": duplicates,
            "reason": reason[:200],
            "source": "offline",
        }

    @api.model
    def _atelier_ai_quote(self, words):
        return ", ".join(f"« {word} »" for word in words[:3])

    def _atelier_ai_suggestion(self):
        """The model's suggestion when it answers well, else the rules'."""
        self.ensure_one()
        candidates = self._atelier_ai_candidates()
        offline = self._atelier_ai_offline(candidates)
        # the model sees the closest candidates only, by the rules' measure
        close = feedback_rules.likely_duplicates(
            self.name,
            self.description,
            candidates,
            threshold=0.05,
            limit=MODEL_CANDIDATES,
        )
        shown = [c for c in candidates if c[0] in close]
        schema = {
            "type": "object",
            "properties": {
                "kind": {"type": "string", "enum": [k for k, _label in KINDS]},
                "sentiment": {
                    "type": "string",
                    "enum": list(feedback_rules.SENTIMENTS),
                },
                "duplicate_ids": {
                    "type": "array",
                    "items": {"type": "integer", "enum": [c[0] for c in shown] or [0]},
                    "maxItems": 3,
                },
                "reason": {"type": "string", "minLength": 1, "maxLength": 200},
            },
            "required": ["kind", "sentiment", "duplicate_ids", "reason"],
            "additionalProperties": False,
        }
        listing = "\n".join(f"{cid}: {title}" for cid, title, _desc in shown)
        messages = [
            {"role": "system", "content": SYSTEM_PROMPT, "trusted": True},
            {
                "role": "user",
                "content": (
                    f"Category chosen by the tester: {self.kind}\n"
                    f"Title: {self.name}\n"
                    f"Text: {(self.description or '')[:3000]}\n\n"
                    f"Candidates:\n{listing or '(none)'}"
                ),
            },
        ]
        answer = self.env["atelier.ai"]._complete(
            FEATURE,
            messages,
            schema=schema,
            fallback=offline,
            contacts=self.author_id.partner_id,
        )
        if not answer.from_model:
            return offline
        data = answer.data
        return {
            "kind": data["kind"],
            "sentiment": data["sentiment"],
            "duplicate_ids": [i for i in data["duplicate_ids"] if i in close][:3],
            "reason": data["reason"].strip().splitlines()[0][:200],
            "source": "model",
        }

    def _atelier_ai_apply(self, suggestion):
        self.ensure_one()
        self.sudo().write(
            {
                "atelier_ai_kind": suggestion["kind"],
                "atelier_ai_sentiment": suggestion["sentiment"],
                "atelier_ai_duplicate_ids": [
                    fields.Command.set(suggestion["duplicate_ids"])
                ],
                "atelier_ai_reason": suggestion["reason"],
                "atelier_ai_source": suggestion["source"],
            }
        )
