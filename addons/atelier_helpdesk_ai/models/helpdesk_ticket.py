# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import logging
import re

from lxml import html as lxml_html
from markupsafe import Markup, escape

from odoo import api, fields, models, tools
from odoo.exceptions import UserError

from ..tools import reply_rules, triage_rules
from .atelier_ai_triage_decision import SENTIMENTS, SOURCES, _priority_selection

_logger = logging.getLogger(__name__)

TRIAGE_STATES = [
    ("none", "No suggestion"),
    ("suggested", "To review"),
    ("accepted", "Accepted"),
    ("overridden", "Overridden"),
]
TYPES_MODULE = "atelier_helpdesk"
# what the desk thinks of a request is not for the client's eyes (portal, RPC)
INTERNAL = "base.group_user"
CRON_BATCH = 50
BATCH_WITHOUT_KB = 20
MAX_TYPES = 200
SIGN_OFF_RE = re.compile(
    r"^\s*(cordialement|bien cordialement|bien à vous|salutations|"
    r"kind regards|best regards|regards)\b",
    re.IGNORECASE,
)
TRIAGE_SYSTEM_PROMPT = """Tu tries les demandes reçues par le service client \
d'Atelier, une entreprise française d'électricité, de diagnostic automobile et \
de formation. Pour la demande ci-dessous, choisis :
- type_id : l'identifiant du type de demande, parmi : {types} ;
- priority : "0" basse, "1" normale, "2" haute, "3" urgente (danger, sécurité, \
client immobilisé) ;
- sentiment : l'humeur du client, "positive", "neutral", "negative" ou "angry" ;
- reason : une seule ligne en français qui justifie ces choix (160 caractères \
au plus).
Les données personnelles sont remplacées par des marqueurs entre crochets."""
DRAFT_SYSTEM_PROMPT = """Tu rédiges, pour le service client d'Atelier, le \
brouillon d'une réponse en français à un client. Pars du modèle de réponse \
fourni : garde sa formule d'appel, son ton et son vouvoiement, adapte-le aux \
faits de la demande. N'utilise que les faits de la demande, du modèle et des \
passages de la base de connaissances fournis ; n'invente ni prix, ni date, ni \
diagnostic ; laisse les [crochets] du modèle à compléter par le conseiller. \
N'écris pas de formule de politesse finale ni de signature : elles sont \
ajoutées ensuite. Réponds par le texte seul, en paragraphes séparés par une \
ligne vide. Les données personnelles sont remplacées par des marqueurs entre \
crochets ([NOM_1], [TEL_1]…) : recopie-les tels quels."""

DRAFT_USER_PROMPT = """Modèle de réponse :
{template}

Demande du client ({number}, {type}) :
{request}"""


class HelpdeskTicket(models.Model):
    _inherit = "helpdesk.ticket"

    atelier_sentiment = fields.Selection(
        SENTIMENTS, string="Client's mood", tracking=True, copy=False, groups=INTERNAL
    )
    atelier_ai_state = fields.Selection(
        TRIAGE_STATES,
        string="Triage",
        default="none",
        required=True,
        copy=False,
        groups=INTERNAL,
        index=True,
        readonly=True,
    )
    atelier_ai_queued = fields.Boolean(
        string="Waiting for the model", copy=False, groups=INTERNAL, readonly=True
    )
    atelier_ai_type_id = fields.Many2one(
        "helpdesk.ticket.type",
        string="Suggested type",
        readonly=True,
        copy=False,
        groups=INTERNAL,
    )
    atelier_ai_priority = fields.Selection(
        _priority_selection,
        string="Suggested priority",
        readonly=True,
        copy=False,
        groups=INTERNAL,
    )
    atelier_ai_sentiment = fields.Selection(
        SENTIMENTS, string="Suggested mood", readonly=True, copy=False, groups=INTERNAL
    )
    atelier_ai_reason = fields.Char(
        string="Why", readonly=True, copy=False, groups=INTERNAL
    )
    atelier_ai_source = fields.Selection(
        SOURCES, string="Suggested by", readonly=True, copy=False, groups=INTERNAL
    )
    atelier_ai_date = fields.Datetime(
        string="Suggested on", readonly=True, copy=False, groups=INTERNAL
    )
    # what the triage box shows, the suggestion until Claire changes it
    atelier_ai_choice_type_id = fields.Many2one(
        "helpdesk.ticket.type", string="Type chosen", copy=False, groups=INTERNAL
    )
    atelier_ai_choice_priority = fields.Selection(
        _priority_selection, string="Priority chosen", copy=False, groups=INTERNAL
    )
    atelier_ai_choice_sentiment = fields.Selection(
        SENTIMENTS, string="Mood chosen", copy=False, groups=INTERNAL
    )
    atelier_ai_decision_ids = fields.One2many(
        "atelier.ai.triage.decision",
        "ticket_id",
        string="Triage decisions",
        groups=INTERNAL,
    )

    _atelier_ai_queued_idx = models.Index("(id) WHERE atelier_ai_queued")

    # ------------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------------
    @api.model_create_multi
    def create(self, vals_list):
        tickets = super().create(vals_list)
        if not self.env.context.get("atelier_ai_no_triage"):
            tickets._atelier_ai_triage_new()
        return tickets

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------
    def action_atelier_ai_apply_triage(self):
        """Apply the triage box's values: the suggestion as it is (accepted)
        or as Claire changed it (overridden, logged)."""
        self.check_access("write")
        for ticket in self:
            if ticket.atelier_ai_state != "suggested":
                raise UserError(self.env._("This ticket's triage was already decided."))
            ticket._atelier_ai_decide(
                ticket.atelier_ai_choice_type_id or ticket.type_id,
                ticket.atelier_ai_choice_priority or ticket.priority,
                ticket.atelier_ai_choice_sentiment or ticket.atelier_ai_sentiment,
            )
        return True

    def action_atelier_ai_suggest_triage(self):
        """Suggest a triage now (a ticket created before the addon, or a new
        suggestion after the ticket changed)."""
        self.check_access("write")
        for ticket in self.sudo():
            ticket._atelier_ai_set_suggestion(ticket._atelier_ai_suggestion())
        return True

    def action_atelier_ai_draft_reply(self):
        """Open the mail composer on a reply drafted for this ticket."""
        self.ensure_one()
        self.check_access("write")
        draft = self._atelier_ai_draft()
        composer = (
            self.env["mail.compose.message"]
            .with_context(mail_post_autofollow=True)
            .create(
                {
                    "composition_mode": "comment",
                    "model": self._name,
                    "res_ids": str(self.ids),
                    "subject": draft["subject"],
                    "body": draft["body"],
                    "partner_ids": [fields.Command.set(self.partner_id.ids)],
                    "email_add_signature": False,
                    "subtype_id": self.env.ref("mail.mt_comment").id,
                    "message_type": "comment",
                }
            )
        )
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Reply drafted for %(number)s", number=self.number),
            "res_model": "mail.compose.message",
            "res_id": composer.id,
            "views": [(False, "form")],
            "target": "new",
            "context": {"dialog_size": "large"},
        }

    # ------------------------------------------------------------------
    # Triage
    # ------------------------------------------------------------------
    def _atelier_ai_triage_new(self):
        """A suggestion for new tickets at once (rules); when a model is in
        use, the scheduled job refines it shortly after, so that no e-mail
        or portal request waits for a model. A large batch (an import) is
        sorted by keywords only, without a knowledge-base search each."""
        tickets = self.sudo()
        if len(tickets) > BATCH_WITHOUT_KB:
            tickets = tickets.with_context(atelier_ai_no_kb=True)
        for ticket in tickets:
            ticket._atelier_ai_set_suggestion(ticket._atelier_ai_offline_triage())
            if self.env.context.get("atelier_ai_presort"):
                ticket._atelier_ai_presort()
        if self.env["atelier.ai"]._uses_model("ticket_triage"):
            tickets.write({"atelier_ai_queued": True})
            self.env.ref("atelier_helpdesk_ai.ir_cron_triage").sudo()._trigger()

    @api.model
    def _atelier_ai_triage_open_tickets(self):
        """Rules' suggestions for the open tickets that have none."""
        tickets = (
            self.sudo()
            .with_context(atelier_ai_no_kb=True)
            .search([("closed", "=", False), ("atelier_ai_state", "=", "none")])
        )
        for ticket in tickets:
            ticket._atelier_ai_set_suggestion(ticket._atelier_ai_offline_triage())
        return len(tickets)

    def _atelier_ai_presort(self):
        """Give a ticket Alex opened the suggested type, and a team that
        takes it; the suggestion stays for Claire to accept."""
        self.ensure_one()
        ticket_type = self.atelier_ai_type_id.sudo()
        if not ticket_type or ticket_type == self.type_id:
            return
        vals = {"type_id": ticket_type.id}
        team = self._atelier_ai_team_for(ticket_type)
        if team:
            vals["team_id"] = team.id
        self.write(vals)

    def _atelier_ai_team_for(self, ticket_type):
        """The team for a ticket moving to ``ticket_type``: none to change
        when its team takes that type, else the type's team."""
        self.ensure_one()
        team = self.team_id.sudo()
        if team and self._atelier_type_fits_team(ticket_type, team):
            return None
        return self._atelier_team_of_type(ticket_type) or None

    @api.model
    def _atelier_ai_cron_triage(self):
        """Ask the model about the queued tickets whose suggestion nobody
        decided yet."""
        queued = self.sudo().search(
            [("atelier_ai_queued", "=", True)], limit=CRON_BATCH
        )
        for ticket in queued:
            if ticket.atelier_ai_state == "suggested":
                ticket._atelier_ai_set_suggestion(ticket._atelier_ai_suggestion())
            ticket.atelier_ai_queued = False
            if self.env.context.get("ir_cron_progress_id"):
                self.env["ir.cron"]._commit_progress(1)
        return len(queued)

    def _atelier_ai_types(self):
        """{key: type} of the types a ticket may take (keys: XML ids of
        atelier_helpdesk's types, "type_<id>" for the others)."""
        types = self.env["helpdesk.ticket.type"].sudo().search([], limit=MAX_TYPES)
        xmlids = types._get_external_ids()
        result = {}
        for ticket_type in types:
            key = next(
                (
                    xmlid.split(".", 1)[1]
                    for xmlid in xmlids.get(ticket_type.id, [])
                    if xmlid.startswith(TYPES_MODULE + ".")
                ),
                f"type_{ticket_type.id}",
            )
            result[key] = ticket_type
        return result

    def _atelier_ai_text(self, limit=4000):
        """The client's words: subject, description and their last message."""
        self.ensure_one()
        parts = [self.name or "", tools.html2plaintext(self.description or "")]
        last = self.message_ids.filtered(
            lambda m: m.message_type == "email" and m.author_id == self.partner_id
        )[:1]
        if last:
            parts.append(tools.html2plaintext(last.body or ""))
        text = "\n".join(part.strip() for part in parts if part and part.strip())
        return text[:limit]

    def _atelier_ai_subject(self):
        """What the request is about, for the knowledge base: its title and
        the start of its description."""
        self.ensure_one()
        description = tools.html2plaintext(self.description or "").strip()
        return f"{self.name or ''}. {description[:300]}"

    def _atelier_ai_kb_results(self, query, limit=3):
        """Relevant knowledge-base passages ([] without the knowledge base)."""
        return self.env["atelier.ai"]._kb_passages(query, limit=limit)

    def _atelier_ai_desk_lang(self):
        """The language the desk reads the reason in: its company's (the
        ticket may come from a client, a gateway or a job in another one)."""
        self.ensure_one()
        lang = self.company_id.partner_id.lang or self.env.lang
        return lang if self.env["res.lang"]._get_data(code=lang) else self.env.lang

    def _atelier_ai_offline_triage(self):
        """Rules: French keywords, trouble codes and the knowledge base; the
        reason in the desk's language."""
        self.ensure_one()
        desk = self.with_context(lang=self._atelier_ai_desk_lang())
        return desk._atelier_ai_rules_triage()

    def _atelier_ai_rules_triage(self):
        self.ensure_one()
        text = self._atelier_ai_text()
        types = self._atelier_ai_types()
        boosts = {}
        # the knowledge base is about vehicles: a relevant trouble code or
        # article points to the vehicle diagnostic
        passages = (
            []
            if self.env.context.get("atelier_ai_no_kb")
            else self._atelier_ai_kb_results(self._atelier_ai_subject())
        )
        if passages:
            codes = [p["code"] for p in passages if p.get("code")]
            boosts["helpdesk_type_diagnostic"] = (
                2 * len(codes) + len(passages) - len(codes),
                codes[:2] or [" ".join(passages[0]["title"].split()[:4])],
            )
        found = triage_rules.triage(text, type_boosts=boosts, allowed_types=set(types))
        ticket_type = types.get(found.type_key) or self.type_id
        reasons = []
        if found.type_key and ticket_type:
            reasons.append(
                self.env._(
                    "%(words)s: %(type)s",
                    words=self._atelier_ai_quote(found.type_words),
                    type=ticket_type.name,
                )
            )
        priority_names = dict(self._fields["priority"]._description_selection(self.env))
        if found.priority_words:
            reasons.append(
                self.env._(
                    "%(words)s: %(priority)s priority",
                    words=self._atelier_ai_quote(found.priority_words),
                    priority=priority_names[found.priority].lower(),
                )
            )
        if found.sentiment_words:
            moods = dict(
                self._fields["atelier_sentiment"]._description_selection(self.env)
            )
            reasons.append(
                self.env._(
                    "%(words)s: %(mood)s client",
                    words=self._atelier_ai_quote(found.sentiment_words),
                    mood=moods[found.sentiment].lower(),
                )
            )
        reason = (
            " · ".join(reasons)
            if reasons
            else self.env._("No telling word: the usual type and priority.")
        )
        return {
            "type_id": ticket_type.id or False,
            "priority": found.priority,
            "sentiment": found.sentiment,
            "reason": reason[:200],
            "source": "offline",
        }

    @api.model
    def _atelier_ai_quote(self, words):
        return ", ".join(f"« {word} »" for word in words[:3])

    def _atelier_ai_suggestion(self):
        """The model's suggestion when it answers well, else the rules'."""
        self.ensure_one()
        offline = self._atelier_ai_offline_triage()
        types = self._atelier_ai_types()
        type_ids = sorted(t.id for t in types.values())
        if not type_ids:
            return offline
        schema = {
            "type": "object",
            "properties": {
                "type_id": {"type": "integer", "enum": type_ids},
                "priority": {"type": "string", "enum": list(triage_rules.PRIORITIES)},
                "sentiment": {"type": "string", "enum": list(triage_rules.SENTIMENTS)},
                "reason": {"type": "string", "minLength": 1, "maxLength": 200},
            },
            "required": ["type_id", "priority", "sentiment", "reason"],
            "additionalProperties": False,
        }
        type_list = "; ".join(
            f"{t.id} = {t.name}" for t in sorted(types.values(), key=lambda t: t.id)
        )
        messages = [
            {
                "role": "system",
                "content": TRIAGE_SYSTEM_PROMPT.format(types=type_list),
                "trusted": True,
            },
            {"role": "user", "content": self._atelier_ai_text()},
        ]
        answer = self.env["atelier.ai"]._complete(
            "ticket_triage",
            messages,
            schema=schema,
            fallback=offline,
            contacts=self.partner_id | self.commercial_partner_id,
        )
        if not answer.from_model:
            return offline
        data = answer.data
        return {
            "type_id": data["type_id"],
            "priority": data["priority"],
            "sentiment": data["sentiment"],
            "reason": data["reason"].strip().splitlines()[0][:200],
            "source": "model",
        }

    def _atelier_ai_set_suggestion(self, suggestion):
        self.ensure_one()
        self.write(
            {
                "atelier_ai_state": "suggested",
                "atelier_ai_type_id": suggestion["type_id"],
                "atelier_ai_priority": suggestion["priority"],
                "atelier_ai_sentiment": suggestion["sentiment"],
                "atelier_ai_reason": suggestion["reason"],
                "atelier_ai_source": suggestion["source"],
                "atelier_ai_date": fields.Datetime.now(),
                "atelier_ai_choice_type_id": suggestion["type_id"],
                "atelier_ai_choice_priority": suggestion["priority"],
                "atelier_ai_choice_sentiment": suggestion["sentiment"],
            }
        )

    def _atelier_ai_decide(self, ticket_type, priority, sentiment):
        """Apply the final values, log the decision, note an override."""
        self.ensure_one()
        suggested = (
            self.atelier_ai_type_id,
            self.atelier_ai_priority,
            self.atelier_ai_sentiment,
        )
        decision = (
            "accepted"
            if (ticket_type, priority, sentiment) == suggested
            else "overridden"
        )
        vals = {
            "type_id": ticket_type.id,
            "priority": priority,
            "atelier_sentiment": sentiment,
            "atelier_ai_state": decision,
        }
        team = self._atelier_ai_team_for(ticket_type.sudo())
        if team and ticket_type != self.type_id:
            vals["team_id"] = team.id
        self.write(vals)
        self.env["atelier.ai.triage.decision"].sudo().create(
            {
                "ticket_id": self.id,
                "user_id": self.env.uid,
                "decision": decision,
                "source": self.atelier_ai_source,
                "reason": self.atelier_ai_reason,
                "suggested_type_id": suggested[0].id,
                "final_type_id": ticket_type.id,
                "suggested_priority": suggested[1],
                "final_priority": priority,
                "suggested_sentiment": suggested[2],
                "final_sentiment": sentiment,
            }
        )
        if decision == "overridden":
            self._atelier_ai_note_override(
                suggested, (ticket_type, priority, sentiment)
            )

    def _atelier_ai_note_override(self, suggested, final):
        labels = (
            self.env._("Type"),
            self.env._("Priority"),
            self.env._("Mood"),
        )
        priorities = dict(self._fields["priority"]._description_selection(self.env))
        moods = dict(self._fields["atelier_sentiment"]._description_selection(self.env))
        shown = (
            lambda t: t.name or "-",
            lambda p: priorities.get(p, "-"),
            lambda s: moods.get(s, "-"),
        )
        items = Markup("").join(
            Markup("<li>%s : %s → %s</li>") % (label, show(before), show(after))
            for label, show, before, after in zip(
                labels, shown, suggested, final, strict=True
            )
            if before != after
        )
        self.sudo().message_post(
            body=Markup("<p>%s</p><ul>%s</ul>")
            % (self.env._("Triage suggestion overridden:"), items),
            message_type="comment",
            subtype_xmlid="mail.mt_note",
            author_id=self.env.user.partner_id.id,
        )

    # ------------------------------------------------------------------
    # Reply drafts
    # ------------------------------------------------------------------
    def _atelier_ai_reply_templates(self):
        """{key: template} of the reply templates of tickets (keys: XML ids
        of atelier_helpdesk's templates, "template_<id>" for the others)."""
        # the helpdesk's reply templates (flagged), not its automatic e-mails
        templates = self._atelier_reply_templates().sudo()
        xmlids = templates._get_external_ids()
        result = {}
        for template in templates:
            key = next(
                (
                    xmlid.split(".", 1)[1]
                    for xmlid in xmlids.get(template.id, [])
                    if xmlid.startswith(TYPES_MODULE + ".")
                ),
                f"template_{template.id}",
            )
            if key not in reply_rules.NOT_REPLIES:
                result[key] = template
        return result

    def _atelier_ai_reply_template(self):
        self.ensure_one()
        templates = self._atelier_ai_reply_templates()
        type_key = next(
            (k for k, t in self._atelier_ai_types().items() if t == self.type_id), None
        )
        key, _words = reply_rules.choose_template(
            self._atelier_ai_text(), type_key, available=set(templates)
        )
        return templates.get(key) or next(iter(templates.values()), None)

    def _atelier_ai_draft(self):
        """{"subject", "body", "source"}: the matching template rendered for
        the ticket, adapted by the model when one is in use, with links to
        relevant knowledge-base passages and the sender's signature."""
        self.ensure_one()
        template = self._atelier_ai_reply_template()
        if not template:
            raise UserError(self.env._("There is no reply template for tickets."))
        subject = template._render_field("subject", self.ids, compute_lang=True)[
            self.id
        ]
        body = template._render_field("body_html", self.ids, compute_lang=True)[self.id]
        passages = self._atelier_ai_kb_results(self._atelier_ai_subject())
        source = "offline"
        if self.env["atelier.ai"]._uses_model("reply_draft"):
            written = self._atelier_ai_model_draft(body, passages)
            if written:
                body, source = written, "model"
        body = self._atelier_ai_finish_draft(body, passages)
        return {"subject": subject, "body": body, "source": source}

    def _atelier_ai_model_draft(self, template_body, passages):
        """The model's text, kept between the template's greeting and its
        sign-off; None when the model did not answer."""
        messages = [{"role": "system", "content": DRAFT_SYSTEM_PROMPT, "trusted": True}]
        if passages:
            messages.append(
                {
                    "role": "system",
                    "content": "Passages de la base de connaissances :\n\n"
                    + "\n\n".join(
                        f"« {p['title']} »\n{p.get('text') or ''}" for p in passages
                    ),
                    "trusted": True,
                }
            )
        messages.append(
            {
                "role": "user",
                "content": DRAFT_USER_PROMPT.format(
                    template=tools.html2plaintext(template_body),
                    number=self.number,
                    type=self.type_id.name or "-",
                    request=self._atelier_ai_text(),
                ),
            }
        )
        answer = self.env["atelier.ai"]._complete(
            "reply_draft",
            messages,
            fallback="",
            contacts=self.partner_id
            | self.commercial_partner_id
            | self.user_id.partner_id,
        )
        if not answer.from_model or not answer.text.strip():
            return None
        paragraphs = [p.strip() for p in re.split(r"\n\s*\n", answer.text) if p.strip()]
        written = Markup("").join(
            Markup("<p>%s</p>")
            % Markup("<br/>").join(escape(line) for line in p.splitlines())
            for p in paragraphs
        )
        # keep the template's sign-off and reference lines after the text
        root = lxml_html.fragment_fromstring(str(template_body), create_parent="div")
        tail = []
        sign_off = self._atelier_ai_sign_off_node(root)
        if sign_off is not None:
            node = sign_off
            while node is not None:
                tail.append(lxml_html.tostring(node, encoding="unicode"))
                node = node.getnext()
        return Markup("<div>%s%s</div>") % (written, Markup("".join(tail)))

    @api.model
    def _atelier_ai_sign_off_node(self, root):
        for paragraph in root.iter("p"):
            if SIGN_OFF_RE.match(paragraph.text_content() or ""):
                return paragraph
        return None

    def _atelier_ai_finish_draft(self, body, passages):
        """Links to the knowledge-base passages before the sign-off, and the
        sign-off in the sender's name."""
        root = lxml_html.fragment_fromstring(str(body), create_parent="div")
        if len(root) == 1 and root[0].tag == "div":
            root = root[0]
        sign_off = self._atelier_ai_sign_off_node(root)
        sender = self.env.user
        if sign_off is None:
            sign_off = lxml_html.fragment_fromstring(
                str(
                    Markup("<p>%s<br/>%s</p>")
                    % (self.env._("Kind regards,"), sender.name)
                )
            )
            root.append(sign_off)
        else:
            lines = self._atelier_ai_lines(sign_off)
            # "Cordialement," / sender / "Service … — company": the ticket
            # owner's name of the template gives way to the sender's
            lines = [lines[0], sender.name] + ([lines[-1]] if len(lines) > 1 else [])
            new = lxml_html.fragment_fromstring(
                str(Markup("<p>%s</p>") % Markup("<br/>").join(lines))
            )
            sign_off.addprevious(new)
            sign_off.getparent().remove(sign_off)
            sign_off = new
        if passages:
            base = self.get_base_url()
            links = Markup("").join(
                Markup('<li><a href="%s">%s</a></li>') % (base + p["url"], p["title"])
                for p in passages
                if p.get("url")
            )
            section = lxml_html.fragment_fromstring(
                str(
                    Markup("<div><p>%s</p><ul>%s</ul></div>")
                    % (
                        self.env._("These pages of our knowledge base may help you:"),
                        links,
                    )
                )
            )
            for node in list(section):
                sign_off.addprevious(node)
        return Markup(lxml_html.tostring(root, encoding="unicode"))

    @api.model
    def _atelier_ai_lines(self, paragraph):
        """The text lines of a paragraph split at its <br/>."""
        lines, current = [], [paragraph.text or ""]
        for child in paragraph:
            if child.tag == "br":
                lines.append("".join(current).strip())
                current = [child.tail or ""]
            else:
                current.append(child.text_content() + (child.tail or ""))
        lines.append("".join(current).strip())
        return [line for line in lines if line]
