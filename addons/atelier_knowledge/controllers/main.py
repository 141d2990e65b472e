# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from markupsafe import Markup
from werkzeug.exceptions import NotFound
from werkzeug.urls import url_encode

from odoo import http
from odoo.http import request

from odoo.addons.atelier_dtc.tools.dtc_codes import DTC_CODE_RE

from ..tools.text import SLUG_RE

PAGE_SIZE = 20
MAX_PAGES = 5  # 100 results at most (the search's own limit)
MAX_PARAM_CHARS = 1000  # longer parameters are cut before the search sees them


class KnowledgeBase(http.Controller):
    """Public pages of the knowledge base: thin, the search and the records
    do the work."""

    @http.route("/kb", type="http", auth="public", website=True, sitemap=True)
    def kb_index(self, q="", category="", kind="", page="1", **kwargs):
        env = request.env
        query = _text(q)
        category_key = _text(category, 40).lower()
        kind = _text(kind, 20)
        if kind not in ("", "article", "code", "explication", "procedure", "checklist"):
            kind = ""
        try:
            page = min(max(int(page), 1), MAX_PAGES)
        except (TypeError, ValueError):
            page = 1
        categories = env["atelier.kb.category"].search([])
        current = categories.filtered(lambda c: c.code == category_key)[:1]
        values = {
            "kb_query": query,
            "kb_categories": categories,
            "kb_category": current,
            "kb_kind": kind,
            "kb_answer": None,
            "kb_results": [],
            "kb_articles": env["atelier.kb.article"],
            "kb_more_url": False,
            "kb_result_articles": {},
            "kb_result_codes": {},
        }
        if current:
            values["main_object"] = current
        if query:
            answer = env["atelier.kb.search"].search_kb(
                query,
                limit=PAGE_SIZE * page,
                kinds=[kind] if kind else None,
                category=current.id if current else None,
            )
            values["kb_answer"] = answer
            values["kb_results"] = [
                dict(result, snippet=Markup(result["snippet"]))
                for result in answer["results"]
            ]
            if len(answer["results"]) == PAGE_SIZE * page and page < MAX_PAGES:
                values["kb_more_url"] = _more_url(query, category_key, kind, page)
            ids = {"article": [], "code": []}
            for result in answer["results"]:
                ids[result["kind"]].append(result["res_id"])
            values["kb_result_articles"] = {
                article.id: article
                for article in env["atelier.kb.article"].browse(ids["article"])
            }
            values["kb_result_codes"] = {
                dtc.id: dtc for dtc in env["atelier.dtc"].browse(ids["code"])
            }
        else:
            domain = [("category_id", "=", current.id)] if current else []
            if kind in ("explication", "procedure", "checklist"):
                domain.append(("kind", "=", kind))
            values["kb_articles"] = env["atelier.kb.article"].search(
                domain,
                limit=PAGE_SIZE * page if current else 9,
                order="title" if current else "create_date desc, id desc",
            )
            if current and len(values["kb_articles"]) == PAGE_SIZE * page:
                values["kb_more_url"] = _more_url("", category_key, kind, page)
        return request.render("atelier_knowledge.kb_index", values)

    @http.route(
        "/kb/article/<string:slug>",
        type="http",
        auth="public",
        website=True,
        sitemap=True,
    )
    def kb_article(self, slug, **kwargs):
        if not SLUG_RE.match(slug or "") or len(slug) > 200:
            raise NotFound()
        article = request.env["atelier.kb.article"].search(
            [("slug", "=", slug)], limit=1
        )
        if not article or not (article.is_published or article.can_publish):
            raise NotFound()
        return request.render(
            "atelier_knowledge.kb_article_page",
            {
                "kb_article": article,
                "kb_fr_lang": "fr_FR"
                if request.env["res.lang"]._get_data(code="fr_FR")
                else "en_US",
                "main_object": article,
                "additional_title": article.title,
                "website_meta_description": article.summary or "",
            },
        )

    @http.route(
        "/kb/code/<string:code>",
        type="http",
        auth="public",
        website=True,
        sitemap=False,
    )
    def kb_code(self, code, **kwargs):
        code = (code or "").strip().upper()
        if not DTC_CODE_RE.match(code):
            raise NotFound()
        Dtc = request.env["atelier.dtc"]
        if request.env["res.lang"]._get_data(code="fr_FR"):
            # French first, English where no French exists yet
            Dtc = Dtc.with_context(lang="fr_FR")
        dtc = Dtc.search([("code", "=", code)], limit=1)
        if not dtc:
            raise NotFound()
        return request.render(
            "atelier_knowledge.kb_code_page",
            dict(
                {f"kb_{key}": value for key, value in dtc._kb_page_values().items()},
                additional_title=f"{dtc.code} {dtc.title}",
                website_meta_description=dtc.description or dtc.title,
            ),
        )


def _more_url(query, category, kind, page):
    params = (("q", query), ("category", category), ("kind", kind), ("page", page + 1))
    return "/kb?" + url_encode({key: value for key, value in params if value})


def _text(value, size=MAX_PARAM_CHARS):
    """A request parameter as a string of at most ``size`` characters (a
    list when the parameter is repeated: its first value)."""
    if isinstance(value, (list, tuple)):
        value = value[0] if value else ""
    if not isinstance(value, str):
        return ""
    return value[:size].strip()
