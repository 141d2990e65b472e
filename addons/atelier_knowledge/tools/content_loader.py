# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Load knowledge-base content written in YAML (the demo's French articles
and trouble-code pages) into the database.

An article::

    {slug, title, domain, kind, tags: [...], codes: [...], summary,
     body (Markdown)}

A trouble code::

    {code, title, description, severity, symptoms: [...], causes: [...],
     checks: [...], articles: [slugs]}

The French texts of a code go to the ``fr_FR`` translations of its fields
(the English base, from atelier_dtc or an import, is kept); a code that does
not exist yet is created with the French text as its only text.
"""

import logging

from odoo import Command
from odoo.tools import SQL

from . import search_sql
from .text import markdown_to_html

_logger = logging.getLogger(__name__)

SEVERITIES = ("low", "medium", "high", "critical")
TRANSLATED = ("title", "description", "symptoms", "likely_causes")


def load_content(env, articles, codes, module="atelier_knowledge"):
    """Create or update the articles and codes; returns ``(articles, codes)``
    counts. Records get the XML ids ``<module>.kb_article_<slug>``."""
    env = env(context=dict(env.context, tracking_disable=True, lang="en_US"))
    Dtc = env["atelier.dtc"].with_context(active_test=False)
    dtc_by_code = {}
    for entry in codes:
        dtc = _load_code(env, Dtc, entry)
        if dtc:
            dtc_by_code[dtc.code] = dtc
    known = Dtc._atelier_by_codes(
        {code for entry in articles for code in entry.get("codes") or []}
    )
    known.update(dtc_by_code)
    categories = {c.code: c for c in env["atelier.kb.category"].search([])}
    tags = {t.name: t for t in env["atelier.kb.tag"].search([])}
    Article = env["atelier.kb.article"]
    by_slug = {}
    for entry in articles:
        category = categories.get(entry.get("domain"))
        if not category:
            _logger.warning(
                "Knowledge base content: article %s has an unknown domain %s",
                entry.get("slug"),
                entry.get("domain"),
            )
            continue
        tag_ids = []
        for name in entry.get("tags") or []:
            name = str(name).strip()
            if name not in tags:
                tags[name] = env["atelier.kb.tag"].create({"name": name})
            tag_ids.append(tags[name].id)
        vals = {
            "title": entry["title"],
            "slug": entry["slug"],
            "summary": entry.get("summary") or False,
            "body": markdown_to_html(entry.get("body") or ""),
            "category_id": category.id,
            "kind": entry.get("kind") or "explication",
            "lang": "fr_FR",
            "tag_ids": [Command.set(tag_ids)],
            "dtc_ids": [
                Command.set(
                    [known[c].id for c in entry.get("codes") or [] if c in known]
                )
            ],
            "is_published": True,
        }
        xml_id = f"{module}.kb_article_{entry['slug'].replace('-', '_')}"
        article = env.ref(xml_id, raise_if_not_found=False)
        if article:
            article.write(vals)
        else:
            article = Article.search([("slug", "=", entry["slug"])], limit=1)
            if article:
                article.write(vals)
            else:
                article = Article.create(vals)
            env["ir.model.data"]._update_xmlids(
                [{"xml_id": xml_id, "record": article, "noupdate": True}]
            )
        by_slug[article.slug] = article
    for entry in codes:
        dtc = dtc_by_code.get(str(entry.get("code", "")).upper())
        slugs = [s for s in entry.get("articles") or [] if s in by_slug]
        if dtc and slugs:
            dtc.write({"kb_article_ids": [Command.link(by_slug[s].id) for s in slugs]})
    search_sql.refresh_lexemes(env.cr)
    return len(by_slug), len(dtc_by_code)


def _load_code(env, Dtc, entry):
    code = str(entry.get("code") or "").strip().upper()
    if not code or not entry.get("title"):
        return None
    texts = {
        "title": entry["title"],
        "description": entry.get("description") or "",
        "symptoms": "\n".join(entry.get("symptoms") or []),
        "likely_causes": "\n".join(entry.get("causes") or []),
    }
    dtc = Dtc.search([("code", "=", code)], limit=1)
    vals = {"checks": "\n".join(entry.get("checks") or []) or False}
    if entry.get("severity") in SEVERITIES:
        vals["severity"] = entry["severity"]
    if not dtc:
        # no English base yet: the French text is the only text
        dtc = Dtc.create(
            dict(
                vals,
                code=code,
                source="Atelier",
                **{k: v or False for k, v in texts.items()},
            )
        )
    else:
        dtc.write(vals)
    dtc.flush_recordset()
    for fname in TRANSLATED:
        if not texts[fname]:
            continue
        # French in fr_FR; the stored English stays (fallback: the French)
        env.cr.execute(
            SQL(
                """
                UPDATE atelier_dtc
                   SET %(col)s = jsonb_build_object('en_US', %(text)s::text)
                                 || COALESCE(%(col)s, '{}'::jsonb)
                                 || jsonb_build_object('fr_FR', %(text)s::text)
                 WHERE id = %(id)s
                """,
                col=SQL.identifier(fname),
                text=texts[fname],
                id=dtc.id,
            )
        )
    dtc.invalidate_recordset()
    return dtc
