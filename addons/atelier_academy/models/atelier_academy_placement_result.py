# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from collections import defaultdict

from odoo import api, fields, models
from odoo.tools import email_normalize

from .atelier_academy_competency import DOMAINS


class AtelierAcademyPlacementResult(models.Model):
    """The outcome of a placement test: sub-scores, band, path, package.

    Odoo's survey gives one global score; the sub-scores per domain and
    per competency come from the answer lines here. A visitor leaves an
    e-mail and becomes a contact. The CRM glue overrides
    ``_atelier_on_placement_done`` (called once per result).
    """

    _name = "atelier.academy.placement.result"
    _description = "Placement test result"
    _order = "create_date desc, id desc"

    name = fields.Char(compute="_compute_name", store=True)
    user_input_id = fields.Many2one(
        "survey.user_input",
        required=True,
        readonly=True,
        ondelete="cascade",
        index=True,
    )
    survey_id = fields.Many2one(related="user_input_id.survey_id", store=True)
    access_token = fields.Char(related="user_input_id.access_token")
    partner_id = fields.Many2one(
        "res.partner", string="Contact", readonly=True, index=True
    )
    email = fields.Char(readonly=True)
    global_score = fields.Float("Global score (%)", readonly=True)
    score_ids = fields.One2many(
        "atelier.academy.placement.score",
        "result_id",
        string="Sub-scores",
        readonly=True,
    )
    domain_score_ids = fields.One2many(
        "atelier.academy.placement.score",
        "result_id",
        domain=[("kind", "=", "domain")],
        string="Scores per domain",
        readonly=True,
    )
    competency_score_ids = fields.One2many(
        "atelier.academy.placement.score",
        "result_id",
        domain=[("kind", "=", "competency")],
        string="Scores per competency",
        readonly=True,
    )
    band_id = fields.Many2one("atelier.academy.placement.band", readonly=True)
    path_id = fields.Many2one("atelier.academy.path", readonly=True)
    package_id = fields.Many2one("atelier.academy.package", readonly=True)
    enrolment_id = fields.Many2one("atelier.academy.enrolment", readonly=True)
    state = fields.Selection(
        [
            ("enrolled", "Enrolled in the path"),
            ("offered", "Package offered"),
            ("signup", "To sign up"),
            ("no_match", "No band matched"),
        ],
        readonly=True,
    )
    hook_done = fields.Boolean(readonly=True, copy=False)

    _user_input_uniq = models.Constraint(
        "UNIQUE (user_input_id)", "One result per placement answer."
    )

    @api.depends("partner_id", "email", "create_date")
    def _compute_name(self):
        for result in self:
            result.name = (
                result.partner_id.name or result.email or self.env._("Visitor")
            )

    # ------------------------------------------------------------------
    # Scoring and routing
    # ------------------------------------------------------------------
    @api.model
    def _atelier_score(self, user_input):
        """Sub-scores of a placement answer.

        Returns ({'global': %, '<domain>': %, …}, [score line values]). A
        question counts in its section's domain and in each of its
        competencies; its maximum is the best total one could score on it.
        """
        obtained = defaultdict(float)
        for line in user_input.user_input_line_ids:
            obtained[line.question_id] += line.answer_score
        domain_totals = defaultdict(lambda: [0.0, 0.0])
        competency_totals = defaultdict(lambda: [0.0, 0.0])
        for question in user_input.predefined_question_ids:
            maximum = question._atelier_max_score()
            if maximum <= 0:
                continue
            got = max(obtained.get(question, 0.0), 0.0)
            domain = question._atelier_question_domain()
            if domain:
                domain_totals[domain][0] += got
                domain_totals[domain][1] += maximum
            for competency in question.atelier_competency_ids:
                competency_totals[competency][0] += got
                competency_totals[competency][1] += maximum

        def percent(got, maximum):
            return round(min(100.0, 100.0 * got / maximum), 1) if maximum else 0.0

        scores = {}
        lines = []
        for domain, _label in DOMAINS:
            if domain in domain_totals:
                got, maximum = domain_totals[domain]
                scores[domain] = percent(got, maximum)
                lines.append(
                    {
                        "kind": "domain",
                        "domain": domain,
                        "score": got,
                        "max_score": maximum,
                        "percentage": scores[domain],
                    }
                )
        # the global score is the mean of the domains' sub-scores (each
        # domain weighs the same whatever its number of questions)
        domain_scores = [
            scores[domain] for domain, _label in DOMAINS if domain in scores
        ]
        scores["global"] = (
            round(sum(domain_scores) / len(domain_scores), 1)
            if domain_scores
            else round(user_input.scoring_percentage, 1)
        )
        for competency, (got, maximum) in sorted(
            competency_totals.items(), key=lambda item: item[0].code
        ):
            lines.append(
                {
                    "kind": "competency",
                    "competency_id": competency.id,
                    "domain": competency.domain,
                    "score": got,
                    "max_score": maximum,
                    "percentage": percent(got, maximum),
                }
            )
        return scores, lines

    @api.model
    def _atelier_create_from(self, user_inputs):
        """Score, route and record finished placement answers (once each)."""
        results = self.browse()
        done = set(
            self.search([("user_input_id", "in", user_inputs.ids)]).user_input_id.ids
        )
        Band = self.env["atelier.academy.placement.band"].sudo()
        for user_input in user_inputs.sudo():
            if user_input.id in done:
                continue
            scores, lines = self._atelier_score(user_input)
            band = Band._atelier_match(user_input.survey_id, scores)
            partner, email = self._atelier_contact(user_input)
            result = self.create(
                {
                    "user_input_id": user_input.id,
                    "partner_id": partner.id,
                    "email": email,
                    "global_score": scores["global"],
                    "score_ids": [fields.Command.create(vals) for vals in lines],
                    "band_id": band.id,
                    "path_id": band.path_id.id,
                    "package_id": band.package_id.id,
                }
            )
            result._atelier_route()
            results |= result
        for result in results:
            if not result.hook_done:
                result.hook_done = True
                self._atelier_on_placement_done(result)
        return results

    @api.model
    def _atelier_contact(self, user_input):
        """The contact of the taker; a visitor's e-mail becomes a contact."""
        email = email_normalize(user_input.email or "") or False
        partner = user_input.partner_id
        if partner:
            return partner, email or partner.email
        if not email:
            return self.env["res.partner"], False
        Partner = self.env["res.partner"].sudo()
        partner = Partner.search([("email_normalized", "=", email)], limit=1)
        if not partner:
            partner = Partner.create(
                {"name": user_input.nickname or email, "email": email}
            )
        return partner, email

    def _atelier_route(self):
        """Enrol in a free path, or offer the package that contains it."""
        Enrolment = self.env["atelier.academy.enrolment"].sudo()
        for result in self:
            if not result.band_id:
                result.state = "no_match"
            elif result.package_id:
                result.state = "offered"
            elif result.path_id and result.partner_id.user_ids.filtered(
                lambda u: not u._is_public()
            ):
                enrolment = Enrolment._atelier_enrol(
                    result.partner_id,
                    False,
                    f"atelier.academy.placement.result,{result.id}",
                    path=result.path_id,
                )
                result.write({"state": "enrolled", "enrolment_id": enrolment.id})
            else:
                result.state = "signup" if result.path_id else "no_match"

    @api.model
    def _atelier_on_placement_done(self, result):
        """Hook for the CRM glue (lead with the scores); called once per result."""
        return True

    def _atelier_explanation(self):
        """Lines (French) explaining the recommendation with the sub-scores."""
        self.ensure_one()
        band = self.band_id
        if not band:
            return []
        Condition = self.env["atelier.academy.placement.band.condition"]
        labels = dict(Condition._fields["score_on"]._description_selection(self.env))
        values = {score.domain: score.percentage for score in self.domain_score_ids}
        values["global"] = self.global_score
        if not band.condition_ids:
            return [
                self.env._(
                    "No other band matched your scores: band “%(band)s”.",
                    band=band.name,
                )
            ]
        lines = []
        for condition in band.condition_ids:
            values_ = {
                "score_name": labels.get(condition.score_on, condition.score_on),
                "value": round(values.get(condition.score_on, 0.0)),
                "band": band.name,
                "min": round(condition.score_min),
                "max": round(condition.score_max),
            }
            if condition.score_max >= 100:
                lines.append(
                    self.env._(
                        "%(score_name)s: %(value)s %% — band “%(band)s” (%(min)s %% "
                        "or more).",
                        **values_,
                    )
                )
            else:
                lines.append(
                    self.env._(
                        "%(score_name)s: %(value)s %% — band “%(band)s” (from "
                        "%(min)s %% to less than %(max)s %%).",
                        **values_,
                    )
                )
        return lines
