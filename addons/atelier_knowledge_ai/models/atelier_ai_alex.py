# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Alex, the automotive expert: retrieval from the knowledge base, an answer
from the retrieved passages only (the model's, or the passages themselves
offline), citations, "je ne sais pas" outside the base, and a hand-off to a
person (a helpdesk ticket or a contact request)."""

import re

from markupsafe import Markup

from odoo import api, models, tools
from odoo.exceptions import ValidationError

from ..tools import alex_text

MAX_QUESTION = 500
MAX_HISTORY = 4  # messages of the conversation sent back to the model
MAX_HISTORY_CHARS = 1500
MAX_SOURCES = 4
SYSTEM_PROMPT = """Tu es Alex, l'expert automobile d'Atelier, un atelier de \
diagnostic et de réparation. Tu réponds en français, simplement et \
précisément, à des clients, des apprenants et des techniciens.
Règles :
1. Réponds uniquement à partir des passages numérotés fournis ; n'ajoute \
aucune connaissance extérieure.
2. Cite chaque information avec le numéro de son passage entre crochets, par \
exemple [1].
3. Si les passages ne permettent pas de répondre, réponds seulement : « Je ne \
sais pas. » et propose de transmettre la question à un conseiller de \
l'atelier.
4. En cas de danger (haute tension, fumée, freinage, fuite de carburant), \
conseille d'arrêter le véhicule et de contacter l'atelier.
5. Sois bref : 150 mots au plus.
Les données personnelles de la question sont remplacées par des marqueurs \
entre crochets ([NOM_1], [TEL_1]) : ne les commente pas."""


class AtelierAiAlex(models.AbstractModel):
    _name = "atelier.ai.alex"
    _description = "Alex, the automotive expert"

    # ------------------------------------------------------------------
    # Settings
    # ------------------------------------------------------------------
    @api.model
    def _settings(self):
        get = self.env["ir.config_parameter"].sudo().get_param

        def integer(key, default):
            try:
                return int(get(key) or default)
            except ValueError:
                return default

        return {
            "website": get("atelier_knowledge_ai.website", "1") not in ("0", "False"),
            "rate_minute": integer("atelier_knowledge_ai.rate_minute", 8),
            "rate_hour": integer("atelier_knowledge_ai.rate_hour", 60),
        }

    @api.model
    def _widget_props(self):
        """What the chat widget needs to know about the visitor."""
        user = self.env.user
        return {
            "isPublic": user._is_public(),
            "userName": "" if user._is_public() else user.name,
            "handoff": self._handoff_kind(),
        }

    # ------------------------------------------------------------------
    # Answers
    # ------------------------------------------------------------------
    @api.model
    def _clean_question(self, question):
        if not isinstance(question, str):
            raise ValidationError(self.env._("The question must be a text."))
        question = " ".join(question.split())
        if not question:
            raise ValidationError(
                self.env._(
                    "Ask me a question about a vehicle, a trouble code or a repair."
                )
            )
        if len(question) > MAX_QUESTION:
            raise ValidationError(
                self.env._(
                    "Your question is too long: %(max)s characters at most.",
                    max=MAX_QUESTION,
                )
            )
        return question

    @api.model
    def _clean_history(self, history):
        """The last turns of the conversation, as the widget sent them."""
        cleaned = []
        for item in (history or [])[-MAX_HISTORY:] if isinstance(history, list) else []:
            if (
                isinstance(item, dict)
                and item.get("role") in ("user", "assistant")
                and isinstance(item.get("content"), str)
                and item["content"].strip()
            ):
                cleaned.append(
                    {
                        "role": item["role"],
                        "content": item["content"].strip()[:MAX_HISTORY_CHARS],
                    }
                )
        return cleaned

    @api.model
    def _answer(self, question, history=None, stream=False):
        """``(meta, deltas)``: what the answer rests on, then an iterator of
        its text. ``meta``: ``{"question", "sources", "unknown", "mode",
        "handoff", "offer"}``; each source: ``{"n", "kind", "title",
        "code", "url"}``. Raises ValidationError on a bad question."""
        question = self._clean_question(question)
        history = self._clean_history(history)
        passages = self.env["atelier.ai"]._kb_passages(question, limit=MAX_SOURCES)
        uses_model = bool(passages) and self.env["atelier.ai"]._uses_model("alex")
        meta = {
            "question": question,
            "sources": [
                {
                    "n": p["n"],
                    "kind": p["kind"],
                    "title": p["title"],
                    "code": p.get("code") or False,
                    "url": p["url"],
                }
                for p in passages
            ],
            "unknown": not passages,
            "mode": "model" if uses_model else "offline",
            "handoff": self._handoff_kind(),
            "offer": not passages or alex_text.wants_a_human(question),
        }
        if not passages:
            # outside the base: no model is asked, nothing leaves Odoo
            return meta, iter([self._dont_know()])
        offline = alex_text.offline_answer(
            self.env._("Here is what our knowledge base says:"), passages
        )
        messages = self._messages(question, history, passages)
        answer = self.env["atelier.ai"]._complete(
            "alex", messages, stream=stream, fallback=offline
        )
        if stream:
            return meta, answer
        return meta, iter([answer.text])

    @api.model
    def _ask(self, question, history=None):
        """One whole answer: ``meta`` plus ``text`` and what ``_finish``
        adds."""
        meta, deltas = self._answer(question, history=history)
        return dict(meta, **self._finish(meta, "".join(deltas)))

    @api.model
    def _finish(self, meta, text):
        """``{"text", "cited", "unknown", "offer"}`` once the text is whole.
        Uses no database: it also runs at the end of a streamed response."""
        refused = alex_text.is_refusal(text)
        return {
            "text": text,
            "cited": alex_text.cited(text, meta["sources"]),
            "unknown": meta["unknown"] or refused,
            "offer": meta["offer"] or refused,
        }

    @api.model
    def _dont_know(self):
        return self.env._(
            "I don't know: our knowledge base does not cover this question. "
            "An advisor of the workshop can answer you: shall I pass it on?"
        )

    @api.model
    def _messages(self, question, history, passages):
        sources = "\n\n".join(
            f"[{p['n']}] {alex_text.source_label(p)} ({p['url']})\n"
            + (p.get("text") or "")
            for p in passages
        )
        messages = [
            {"role": "system", "content": SYSTEM_PROMPT, "trusted": True},
            {
                "role": "system",
                "content": "Passages de la base de connaissances :\n\n" + sources,
                "trusted": True,
            },
        ]
        messages += history
        messages.append({"role": "user", "content": question})
        return messages

    # ------------------------------------------------------------------
    # Hand-off to a person
    # ------------------------------------------------------------------
    @api.model
    def _handoff_kind(self):
        """ "ticket" when the user may open a helpdesk ticket (an employee
        with the right, or a client of the portal, who opens tickets from
        /my), else "request" (a contact request the desk calls back)."""
        if "helpdesk.ticket" not in self.env:
            return "request"
        user = self.env.user
        if user._is_public():
            return "request"
        if user.share:
            return "ticket"
        return (
            "ticket" if self.env["helpdesk.ticket"].has_access("create") else "request"
        )

    @api.model
    def _handoff(self, question, answer="", sources=None, contact=None):
        """Pass a question on to the desk: a pre-sorted helpdesk ticket or a
        contact request. ``contact`` (visitors only): ``{"name", "email",
        "phone"}``. Returns ``{"kind", "reference", "url"}``."""
        question = self._clean_question(question)
        answer = (answer or "").strip()[:4000] if isinstance(answer, str) else ""
        sources = self._clean_sources(sources)
        if self._handoff_kind() == "ticket":
            return self._open_ticket(question, answer, sources)
        return self._open_request(question, answer, sources, contact or {})

    @api.model
    def _clean_sources(self, sources):
        """Only links into the knowledge base are kept."""
        cleaned = []
        for source in sources if isinstance(sources, list) else []:
            if not isinstance(source, dict):
                continue
            url, title = source.get("url"), source.get("title")
            if (
                isinstance(url, str)
                and isinstance(title, str)
                and re.fullmatch(r"/kb/(article|code)/[\w.-]{1,200}", url)
            ):
                cleaned.append({"url": url, "title": title[:200]})
        return cleaned[:MAX_SOURCES]

    @api.model
    def _handoff_body(self, question, answer, sources):
        parts = [
            Markup("<p><strong>%s</strong></p><p>%s</p>")
            % (self.env._("Question asked to Alex:"), question)
        ]
        if answer:
            parts.append(
                Markup("<p><strong>%s</strong></p><p>%s</p>")
                % (
                    self.env._("Alex's answer:"),
                    Markup("<br/>").join(answer.splitlines()),
                )
            )
        if sources:
            parts.append(
                Markup("<p><strong>%s</strong></p><ul>%s</ul>")
                % (
                    self.env._("Knowledge-base pages used:"),
                    Markup("").join(
                        Markup('<li><a href="%s">%s</a></li>') % (s["url"], s["title"])
                        for s in sources
                    ),
                )
            )
        return Markup("").join(parts)

    @api.model
    def _open_ticket(self, question, answer, sources):
        user = self.env.user
        Ticket = self.env["helpdesk.ticket"]
        vals = {
            "name": self.env._(
                "Question for Alex: %(question)s",
                question=question if len(question) <= 80 else question[:79] + "…",
            ),
            "description": self._handoff_body(question, answer, sources),
            "partner_id": user.partner_id.id,
            "partner_name": user.partner_id.name,
            "partner_email": user.partner_id.email,
            # a question for the desk, not for the one who asks
            "user_id": False,
        }
        if "atelier_channel" in Ticket._fields:
            vals["atelier_channel"] = "portal" if user.share else "web"
        # a client opens tickets from the portal the same way (OCA's form);
        # atelier_helpdesk_ai gives it the suggested type and team at once
        Ticket = Ticket.with_context(atelier_ai_presort=True)
        ticket = (Ticket.sudo() if user.share else Ticket).create(vals)
        ticket.sudo().message_subscribe(partner_ids=user.partner_id.ids)
        return {
            "kind": "ticket",
            "reference": ticket.number if "number" in ticket._fields else ticket.id,
            "url": f"/my/ticket/{ticket.id}"
            if user.share
            else f"/odoo/helpdesk.ticket/{ticket.id}",
        }

    @api.model
    def _open_request(self, question, answer, sources, contact):
        user = self.env.user
        vals = {
            "question": question,
            "answer": answer,
            "body": self._handoff_body(question, answer, sources),
        }
        if user._is_public():
            name = contact.get("name") if isinstance(contact.get("name"), str) else ""
            email = (
                contact.get("email") if isinstance(contact.get("email"), str) else ""
            )
            phone = (
                contact.get("phone") if isinstance(contact.get("phone"), str) else ""
            )
            name, email, phone = (
                name.strip()[:100],
                email.strip()[:200],
                phone.strip()[:40],
            )
            if not name:
                raise ValidationError(self.env._("Please give your name."))
            if email and not tools.email_normalize(email):
                raise ValidationError(self.env._("This e-mail address is not valid."))
            if not email and not phone:
                raise ValidationError(
                    self.env._("Please give an e-mail address or a phone number.")
                )
            vals.update(contact_name=name, email=email, phone=phone)
        else:
            vals.update(
                partner_id=user.partner_id.id,
                contact_name=user.name,
                email=user.email or "",
                phone=user.partner_id.phone or "",
            )
        request = self.env["atelier.alex.request"].sudo().create(vals)
        return {"kind": "request", "reference": request.display_name, "url": False}
