# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The interview without a language model: the persona asks from its
question bank and follows up on vague answers; the synthesis is built from
rules (answer length, the grid's keywords, concrete facts, quotes).

Only the content of the answers is judged: nothing here (nor in the model's
prompt) infers an emotion, stress or confidence.
"""

import re

from .text import fold, squash, words

MAX_ANSWER = 2000
VAGUE_WORDS = 12
SENTENCE_RE = re.compile(r"(?<=[.!?…])\s+")
NUMBER_RE = re.compile(r"\d")
CONCRETE_MARKERS = (
    "par exemple",
    "exemple",
    "concretement",
    "la derniere fois",
    "resultat",
)
VAGUE_MARKERS = (
    "je ne sais pas",
    "je sais pas",
    "peut-etre",
    "ca depend",
    "un peu",
    "bof",
    "je pense que oui",
    "pas vraiment",
    "on verra",
)
DEFAULT_FOLLOWUP = (
    "Pouvez-vous me donner un exemple concret, avec ce "
    "que vous avez fait et le résultat ?"
)


def cut_answer(text, limit=MAX_ANSWER):
    """(text cut to ``limit`` characters, whether it was cut)."""
    text = (text or "").strip()
    if len(text) <= limit:
        return text, False
    return text[:limit].rstrip(), True


def is_vague(answer):
    """A short answer, or a hedging one without a concrete fact."""
    folded = fold(answer)
    count = len(words(answer))
    if count < VAGUE_WORDS:
        return True
    concrete = NUMBER_RE.search(answer) or any(m in folded for m in CONCRETE_MARKERS)
    return count < 30 and not concrete and any(m in folded for m in VAGUE_MARKERS)


def next_turn(persona, state, answer=None):
    """The persona's next line. ``persona``: ``{"intro", "closing",
    "questions": [{"text", "followup"}]}``; ``state``: ``{"index": next
    question, "followed": whether the current question had its follow-up}``.
    Returns ``(text, state, kind)`` with kind ``question``, ``followup`` or
    ``closing``."""
    questions = persona.get("questions") or []
    index = state.get("index", 0)
    if (
        answer is not None
        and index > 0
        and not state.get("followed")
        and is_vague(answer)
    ):
        followup = questions[index - 1].get("followup") or DEFAULT_FOLLOWUP
        return followup, {"index": index, "followed": True}, "followup"
    if index >= len(questions):
        return (
            persona.get("closing") or "",
            {"index": index, "followed": True},
            "closing",
        )
    text = questions[index]["text"]
    if index == 0 and persona.get("intro"):
        text = f"{persona['intro']}\n\n{text}"
    return text, {"index": index + 1, "followed": False}, "question"


def _stems(keywords):
    return [fold(k).strip() for k in keywords if fold(k).strip()]


def _hits(text_words, stems):
    """The stems found as word starts in the words (multi-word stems as a
    phrase)."""
    joined = " " + " ".join(text_words) + " "
    found = set()
    for stem in stems:
        if " " in stem:
            if f" {stem}" in joined:
                found.add(stem)
        elif any(word.startswith(stem) for word in text_words):
            found.add(stem)
    return found


def _sentences(answer):
    return [s.strip() for s in SENTENCE_RE.split(answer.strip()) if s.strip()]


def synthesize(criteria, answers, _):
    """A synthesis from rules. ``criteria``: ``[{"name", "descriptor",
    "keywords": [...]}]``; ``answers``: the learner's lines, in order; ``_``:
    the translation function. Returns ``{"strengths": [{"text", "quote"}],
    "improvements": [...], "scores": [{"criterion", "score", "reason"}]}``."""
    answers = [a for a in answers if a and a.strip()]
    answer_words = [words(a) for a in answers]
    average = sum(len(w) for w in answer_words) / len(answers) if answers else 0
    scores, strengths, improvements = [], [], []
    for criterion in criteria:
        stems = _stems(criterion.get("keywords") or [])
        hits, best, best_hits = set(), None, 0
        concrete = False
        for answer, answer_w in zip(answers, answer_words, strict=True):
            found = _hits(answer_w, stems)
            if found:
                hits |= found
                folded = fold(answer)
                if NUMBER_RE.search(answer) or any(
                    m in folded for m in CONCRETE_MARKERS
                ):
                    concrete = True
            for sentence in _sentences(answer):
                count = len(_hits(words(sentence), stems))
                if count > best_hits:
                    best, best_hits = sentence, count
        if not answers:
            score = 0
            reason = _("No answer to judge.")
        else:
            score = (
                min(3, len(hits)) + (1 if concrete else 0) + (1 if average >= 25 else 0)
            )
            score = max(1, min(5, score))
            reason = _(
                "%(hits)s of the expected points named; %(concrete)s; answers of "
                "%(words)s words on average.",
                hits=len(hits),
                concrete=_("concrete facts given")
                if concrete
                else _("no concrete fact"),
                words=round(average),
            )
        scores.append(
            {"criterion": criterion["name"], "score": score, "reason": reason}
        )
        if score >= 3 and best:
            strengths.append(
                {
                    "text": _(
                        "%(criterion)s: the answer names what is expected.",
                        criterion=criterion["name"],
                    ),
                    "quote": best,
                }
            )
        elif score <= 2 and answers:
            shortest = min(answers, key=lambda a: len(words(a)))
            improvements.append(
                {
                    "text": _(
                        "%(criterion)s: say more, with a concrete "
                        "example (%(descriptor)s).",
                        criterion=criterion["name"],
                        descriptor=criterion.get("descriptor") or "",
                    ),
                    "quote": _sentences(shortest)[0]
                    if _sentences(shortest)
                    else shortest,
                }
            )
    return {"strengths": strengths, "improvements": improvements, "scores": scores}


def verify_quotes(findings, answers):
    """The findings whose quote really is in one of the learner's lines
    (whitespace aside); the others are dropped."""
    lines = [squash(answer) for answer in answers if answer]
    kept = []
    for finding in findings or []:
        quote = squash(finding.get("quote") or "").strip(" \"'«»“”")
        if len(quote) >= 3 and any(quote in line for line in lines):
            kept.append(dict(finding, quote=quote))
    return kept


def leaks_grid(text, criteria):
    """Whether a persona's line repeats the evaluation grid (a descriptor, or
    the keyword list of a criterion)."""
    folded = " ".join(words(text))
    for criterion in criteria:
        descriptor = " ".join(words(criterion.get("descriptor") or ""))
        if len(descriptor) >= 20 and descriptor[:60] in folded:
            return True
        stems = _stems(criterion.get("keywords") or [])
        if len(stems) >= 3:
            joined = " ".join(" ".join(words(s)) for s in stems)
            if joined in folded:
                return True
    return False


def overall(scores):
    """The average score of a synthesis (0 to 5)."""
    values = [s["score"] for s in scores]
    return sum(values) / len(values) if values else 0.0
