# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Which reply template fits a ticket: French keywords of the client's text
and the ticket's type. Plain Python (no Odoo)."""

import re

from .triage_rules import DTC_RE, _pattern, fold

# template XML id (atelier_helpdesk) -> keywords of a request it answers
TEMPLATE_KEYWORDS = {
    "mail_template_ticket_quote_sent": ["devis", "tarif*", "prix", "chiffrage"],
    "mail_template_ticket_invoice_sent": ["facture*", "avoir"],
    "mail_template_ticket_warranty": ["garantie", "sous garantie"],
    "mail_template_ticket_training_registration": ["inscri*", "m'inscrire"],
    "mail_template_ticket_training_info": [
        "formation*",
        "stage",
        "programme",
        "financement",
        "cpf",
        "cours",
    ],
    "mail_template_ticket_photos_request": ["photo*", "image*", "fuite"],
    "mail_template_ticket_appointment_rescheduled": [
        "reporter",
        "decaler",
        "changer de rendez-vous",
        "changer le rendez-vous",
    ],
    "mail_template_ticket_appointment_proposed": [
        "rendez-vous",
        "rdv",
        "passer",
        "venir",
        "intervention",
        "disponibilit*",
        "disjoncteur",
        "tableau",
        "panne",
    ],
    "mail_template_ticket_vehicle_drop_off": [
        "voyant*",
        "code defaut",
        "diagnostic",
        "moteur",
        "deposer",
        "vehicule",
        "voiture",
        "demarr*",
    ],
    "mail_template_ticket_delay": [
        "toujours pas",
        "retard",
        "quand",
        "delai",
        "attends depuis",
        "attend depuis",
    ],
    "mail_template_ticket_parts_ordered": ["piece*", "commande*"],
}
# ticket type (atelier_helpdesk XML id) -> template when no keyword decides
TYPE_DEFAULTS = {
    "helpdesk_type_quote": "mail_template_ticket_quote_sent",
    "helpdesk_type_training": "mail_template_ticket_training_info",
    "helpdesk_type_diagnostic": "mail_template_ticket_vehicle_drop_off",
    "helpdesk_type_electrical": "mail_template_ticket_appointment_proposed",
    "helpdesk_type_technician": "mail_template_ticket_appointment_proposed",
    "helpdesk_type_after_sales": "mail_template_ticket_missing_info",
}
DEFAULT_TEMPLATE = "mail_template_ticket_missing_info"
# templates that are no reply to a client's request
NOT_REPLIES = {
    "mail_template_ticket_ack",
    "mail_template_ticket_survey",
    "mail_template_ticket_survey_reminder",
    "mail_template_ticket_satisfaction_thanks",
}
_COMPILED = {
    key: [(kw.rstrip("*"), re.compile(_pattern(kw))) for kw in keywords]
    for key, keywords in TEMPLATE_KEYWORDS.items()
}


def choose_template(text, type_key=None, available=None):
    """(template key, matched words) for a ticket's text and type key.

    :param available: template keys that exist; others are never chosen
    """
    folded = fold(text)
    scores = {}
    for key, compiled in _COMPILED.items():
        if available is not None and key not in available:
            continue
        words = [word for word, regex in compiled if regex.search(folded)]
        if words:
            scores[key] = words
    if DTC_RE.search(text or "") and (
        available is None or "mail_template_ticket_vehicle_drop_off" in available
    ):
        scores.setdefault("mail_template_ticket_vehicle_drop_off", []).append("code")
    default = TYPE_DEFAULTS.get(type_key, DEFAULT_TEMPLATE)
    if scores:
        order = list(TEMPLATE_KEYWORDS)
        # more words first; on a tie the type's default, then the table order
        best = max(
            scores,
            key=lambda k: (len(scores[k]), k == default, -order.index(k)),
        )
        return best, scores[best]
    if available is None or default in available:
        return default, []
    return (DEFAULT_TEMPLATE if available and DEFAULT_TEMPLATE in available else ""), []
