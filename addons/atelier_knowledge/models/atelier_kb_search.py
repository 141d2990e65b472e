# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import math
import re
from dataclasses import dataclass

from markupsafe import escape

from odoo import api, models
from odoo.tools import SQL

from ..tools import query as kbquery
from ..tools import search_sql, synonyms
from ..tools.text import lines

DEFAULT_LIMIT = 10
MAX_LIMIT = 100
# a word found in more than this share of the documents does not pick the
# candidates when the query has rarer words ("voiture", "moteur"): it still
# counts in the score
COMMON_SHARE = 0.2
# ranking reads the vectors of at most this many candidates per kind (a long
# article's vector takes longer to read than a code's)
MAX_CANDIDATES = {"atelier_kb_article": 40, "atelier_dtc": 60}
# candidates from the whole text having the two rarest words of the query
# only when the rarest is in at most this many documents: beyond, the GIN
# index walks posting lists too long for the time budget (28,000 documents:
# 18 ms) and the words are too common to pick anything anyway
BODY_AND_MAX_DF = 8000
# typo tolerance: short queries, words of 4+ letters that the base ignores
TYPO_MAX_WORDS = 4
TYPO_MIN_CHARS = 4
TYPO_MIN_SIMILARITY = 0.3  # pg_trgm's own default threshold
TYPO_ALTERNATIVES = 3
# codes of one family (P030x) shown before the other results
FAMILY_MAX = 2
FAMILY_SPARE = 8  # results ranked beyond the limit, to replace the extra ones
PAIR_WEIGHT = 0.5  # share of a pair of adjacent words found side by side
MAX_PAIR_WORDS = 5  # adjacent pairs are checked among the first words
TEXT_CHARS = 1200
SNIPPET_WORDS = 50
START, STOP = "\ue000", "\ue001"  # private-use: stripped from queries and texts
HEADLINE_OPTIONS = (
    f'MaxWords=24, MinWords=12, ShortWord=2, MaxFragments=2, FragmentDelimiter=" … ",'
    f' StartSel="{START}", StopSel="{STOP}"'
)
ARTICLE_KINDS = ("explication", "procedure", "checklist")


@dataclass
class Term:
    """One word of the query and what stands for it in a ``tsquery``."""

    word: str
    tsquery: str
    df: int | None = None
    idf: float = 1.0
    corrected: str | None = None
    is_word: bool = True


class AtelierKbSearch(models.AbstractModel):
    """The knowledge-base search: one entry point for the back office, the
    public pages, the AI assistant and the call pop-up."""

    _name = "atelier.kb.search"
    _description = "Knowledge base search"

    @api.model
    @api.readonly
    def search_kb(self, query, limit=DEFAULT_LIMIT, kinds=None, category=None):
        """Published articles and trouble codes for ``query``, best first.

        Anyone may call it, the public user included: the knowledge base is
        public and only published content is returned (it reads with SQL and
        returns no record, so it needs no access right).

        :param query: what the user typed (French; codes such as P0301 and
            prefixes such as P03 are understood)
        :param limit: 1 to 100 results
        :param kinds: ``None`` for everything, or a list of ``"article"``,
            ``"code"`` and/or article kinds (``"explication"``,
            ``"procedure"``, ``"checklist"``)
        :param category: a category id or key (``"electrique"``): its articles,
            and the codes those articles are about
        :returns: ``{"query", "message", "results": [{"kind", "res_model",
            "res_id", "title", "code", "snippet", "text", "url", "score"}]}``
        """
        parsed = kbquery.parse(query)
        result = {"query": parsed.cleaned, "message": False, "results": []}
        # the search reads with SQL: what this transaction wrote must be there
        for model in ("atelier.kb.article", "atelier.kb.passage", "atelier.dtc"):
            self.env[model].flush_model()
        if not parsed.cleaned:
            result["message"] = self.env._(
                "Type a few words or a trouble code, e.g. P0301."
            )
            return result
        if parsed.empty:
            result["message"] = self.env._(
                "Your search holds nothing to look for: use words or a trouble "
                "code, e.g. P0301."
            )
            return result
        filters = self._kb_filters(kinds, category)
        if filters is None:
            result["message"] = self.env._("This category does not exist.")
            return result
        if parsed.truncated:
            result["message"] = self.env._(
                "Your search was shortened to its first %(count)s characters.",
                count=kbquery.MAX_QUERY_CHARS,
            )
        terms, total = self._kb_terms(parsed)
        if not terms:
            result["message"] = self.env._(
                "Your search only holds very common words: add a more precise "
                "word or a trouble code."
            )
            return result
        selective = self._kb_selective(terms, total)
        hits = self._kb_rank(parsed, terms, selective, filters, self._kb_limit(limit))
        result["results"] = self._kb_results(hits, terms, selective)
        return result

    @api.model
    def _kb_refresh_vocabulary(self):
        """Cron and imports: document frequencies and typo candidates."""
        search_sql.refresh_lexemes(self.env.cr)

    # ------------------------------------------------------------------
    # Arguments
    # ------------------------------------------------------------------
    @api.model
    def _kb_limit(self, limit):
        try:
            limit = int(limit)
        except (TypeError, ValueError):
            return DEFAULT_LIMIT
        return min(max(limit, 1), MAX_LIMIT)

    @api.model
    def _kb_filters(self, kinds, category):
        """``{"articles", "article_kinds", "codes", "category_id"}``, or None
        for an unknown category."""
        if isinstance(kinds, str):
            kinds = [kinds]
        wanted = {str(kind) for kind in kinds or () if kind}
        article_kinds = sorted(wanted & set(ARTICLE_KINDS))
        filters = {
            "articles": not wanted or "article" in wanted or bool(article_kinds),
            "article_kinds": article_kinds if "article" not in wanted else [],
            "codes": not wanted or "code" in wanted,
            "category_id": False,
        }
        if category:
            category_id = self._kb_category_id(category)
            if not category_id:
                return None
            filters["category_id"] = category_id
        return filters

    @api.model
    def _kb_category_id(self, category):
        if isinstance(category, models.BaseModel):
            category = category.id
        if isinstance(category, int) and not isinstance(category, bool):
            self.env.cr.execute(
                "SELECT id FROM atelier_kb_category WHERE id = %s AND active",
                [category],
            )
        elif isinstance(category, str) and category.strip():
            self.env.cr.execute(
                "SELECT id FROM atelier_kb_category WHERE code = %s AND active",
                [category.strip().lower()],
            )
        else:
            return False
        row = self.env.cr.fetchone()
        return row[0] if row else False

    # ------------------------------------------------------------------
    # Query -> terms
    # ------------------------------------------------------------------
    @api.model
    def _kb_terms(self, parsed):
        """``(terms, documents)``: the terms of the query, each a ``tsquery``
        text built from the lexemes PostgreSQL gave for the user's words
        (never from the user's text itself), and about how many documents the
        base holds."""
        words = list(parsed.words)
        strings = list(dict.fromkeys(words + list(parsed.codes)))
        for word in words:
            strings.extend(synonyms.alternatives(word))
        strings = list(dict.fromkeys(strings))
        analysis, total = self._kb_analyze(strings)
        terms = []
        for code in parsed.codes:
            info = analysis.get(code)
            terms.append(
                Term(
                    code,
                    kbquery.quote_lexeme(code.lower()),
                    df=info["df"] if info else None,
                    is_word=False,
                )
            )
        for prefix in parsed.prefixes:
            terms.append(
                Term(
                    prefix,
                    kbquery.quote_lexeme(prefix.lower()) + ":*",
                    is_word=False,
                )
            )
        unknown = []
        for word in words:
            info = analysis.get(word)
            if not info or not info["fr"]:
                continue  # a French stop word ("le", "est", "à"...)
            alternatives = [info["fr"]]
            dfs = [info["df"]]
            if info["en"] and info["en"] != info["fr"] and info["en_df"] is not None:
                alternatives.append(info["en"])
                dfs.append(info["en_df"])
            for alternative in synonyms.alternatives(word):
                other = analysis.get(alternative)
                if other and other["fr"] and other["fr"] not in alternatives:
                    alternatives.append(other["fr"])
                    dfs.append(other["df"])
            known = [df for df in dfs if df is not None]
            term = Term(
                word,
                " | ".join(f"( {alt} )" for alt in alternatives),
                df=max(known) if known else None,
            )
            terms.append(term)
            if term.df is None and len(word) >= TYPO_MIN_CHARS and not word.isdigit():
                unknown.append((term, info["lexemes"]))
        if unknown and len(terms) <= TYPO_MAX_WORDS:
            self._kb_correct_typos(unknown)
        for term in terms:
            df = term.df if term.df is not None else 1
            df = min(df, total)
            term.idf = math.log(1 + (total - df + 0.5) / (df + 0.5))
        return terms, total

    @api.model
    def _kb_analyze(self, strings):
        """``({string: {"fr", "en", "lexemes", "df", "en_df"}}, documents)``:
        the French and English ``tsquery`` of each string, its French
        lexemes, in how many published documents they are (None: in none we
        know of), and about how many documents the base holds (the planner's
        estimate; counted when the tables were never analysed)."""
        self.env.cr.execute(
            """
            SELECT s.w, s.fr_q, s.en_q, s.fr,
                   ARRAY(SELECT l.ndoc FROM unnest(s.fr) x(w)
                           LEFT JOIN atelier_kb_lexeme l ON l.word = x.w),
                   ARRAY(SELECT l.ndoc FROM unnest(s.en) x(w)
                           LEFT JOIN atelier_kb_lexeme l ON l.word = x.w),
                   (SELECT CASE WHEN min(reltuples) < 0 THEN NULL
                                ELSE sum(reltuples) END
                      FROM pg_class
                     WHERE oid IN ('atelier_kb_article'::regclass,
                                   'atelier_dtc'::regclass))
              FROM (SELECT w,
                           phraseto_tsquery('atelier_fr', w)::text AS fr_q,
                           phraseto_tsquery('atelier_en', w)::text AS en_q,
                           tsvector_to_array(to_tsvector('atelier_fr', w)) AS fr,
                           tsvector_to_array(to_tsvector('atelier_en', w)) AS en
                      FROM unnest(%s::text[]) AS w) s
            """,
            [strings],
        )
        rows = self.env.cr.fetchall()
        if rows:
            total = rows[0][6]
        else:
            self.env.cr.execute(
                "SELECT CASE WHEN min(reltuples) < 0 THEN NULL ELSE sum(reltuples) END"
                " FROM pg_class WHERE oid IN ('atelier_kb_article'::regclass,"
                " 'atelier_dtc'::regclass)"
            )
            total = self.env.cr.fetchone()[0]
        if total is None:
            self.env.cr.execute(
                "SELECT (SELECT count(*) FROM atelier_kb_article)"
                " + (SELECT count(*) FROM atelier_dtc)"
            )
            total = self.env.cr.fetchone()[0]

        def df(counts):
            # a phrase is in at most as many documents as its rarest word
            if not counts or None in counts:
                return None
            return min(counts)

        analysis = {
            string: {
                "fr": fr_q or "",
                "en": en_q or "",
                "lexemes": fr_lexemes,
                "df": df(fr_counts),
                "en_df": df(en_counts),
            }
            for string, fr_q, en_q, fr_lexemes, fr_counts, en_counts, _n in rows
        }
        return analysis, max(int(total or 0), 1)

    @api.model
    def _kb_correct_typos(self, unknown):
        """Let each unknown word also stand for the closest words of the base
        (trigram similarity of the lexemes, pg_trgm's threshold): "alumage"
        finds "allumage". Up to three close words are kept: the ranking then
        prefers the one that goes with the other words of the query ("sonde
        lamda": lambda rather than lampe)."""
        lexemes = [lexemes[0] for _term, lexemes in unknown if len(lexemes) == 1]
        if not lexemes:
            return
        self.env.cr.execute(
            """
            SELECT q, l.word, l.ndoc
              FROM unnest(%s::text[]) AS q,
                   LATERAL (SELECT word, ndoc FROM atelier_kb_lexeme
                             WHERE lower(word) %% q
                               AND similarity(lower(word), q) >= %s
                             ORDER BY similarity(lower(word), q) DESC, ndoc DESC
                             LIMIT %s) l
            """,
            [lexemes, TYPO_MIN_SIMILARITY, TYPO_ALTERNATIVES],
        )
        close = {}
        for q, word, ndoc in self.env.cr.fetchall():
            close.setdefault(q, []).append((word, ndoc))
        for term, term_lexemes in unknown:
            if len(term_lexemes) != 1 or term_lexemes[0] not in close:
                continue
            words = close[term_lexemes[0]]
            term.corrected = words[0][0]
            term.tsquery = " | ".join(
                [f"( {term.tsquery} )"]
                + [kbquery.quote_lexeme(word) for word, _ndoc in words]
            )
            term.df = max(ndoc for _word, ndoc in words)

    # ------------------------------------------------------------------
    # Ranking
    # ------------------------------------------------------------------
    @api.model
    def _kb_rank(self, parsed, terms, selective, filters, limit):
        """``[(kind, id, score)]``, best first, ``limit`` at most; the
        ``selective`` terms pick the candidates and rank their proximity."""
        scores, families = {}, {}
        if filters["codes"] and (parsed.codes or parsed.prefixes):
            for kind_id, score in self._kb_code_matches(parsed, filters, limit):
                scores[kind_id] = score
        # a query of codes only lists the codes first ("P03": P0300...)
        factor = 0.9 if not parsed.words and scores else 1.0
        queries = [
            SQL(
                "SELECT %s, ranked.* FROM (%s) ranked",
                kind,
                self._kb_rank_query(
                    table,
                    self._kb_candidates(table, where, selective),
                    terms,
                    limit + FAMILY_SPARE,
                    selective,
                ),
            )
            for kind, table, where in self._kb_tables(filters)
        ]
        if queries:
            self.env.cr.execute(SQL(" UNION ALL ").join(queries))
            for kind, record_id, score, family in self.env.cr.fetchall():
                key = (kind, record_id)
                scores[key] = max(scores.get(key, 0.0), float(score) * factor)
                families[key] = family
        ranked = sorted(scores.items(), key=lambda item: (-item[1], item[0]))
        if parsed.words and not (parsed.codes or parsed.prefixes):
            ranked = self._kb_diversify(ranked, families)
        return [(kind, record_id, score) for (kind, record_id), score in ranked[:limit]]

    @api.model
    def _kb_selective(self, terms, total):
        """The words that pick the candidates and whose proximity ranks:
        the base's rarer words. A word it does not know finds nothing; a
        common one ("moteur", in most articles) finds everything, and its
        thousands of positions would make ``ts_rank_cd`` slow for nothing."""
        known = [t for t in terms if t.df is not None or not t.is_word]
        common = COMMON_SHARE * total
        return [t for t in known if t.df is None or t.df <= common] or known or terms

    @api.model
    def _kb_diversify(self, ranked, families):
        """At most ``FAMILY_MAX`` codes of one family (P030x) before the other
        results: "voyant moteur clignote" shows P0300, P0301 and the
        articles, not eight near-identical misfire codes. The others follow,
        in their order."""
        kept, later, seen = [], [], {}
        for key, score in ranked:
            family = families.get(key)
            if family:
                seen[family] = seen.get(family, 0) + 1
                if seen[family] > FAMILY_MAX:
                    later.append((key, score))
                    continue
            kept.append((key, score))
        return kept + later

    @api.model
    def _kb_candidates(self, table, where, terms):
        """SQL of the ids of at most ``MAX_CANDIDATES`` documents to rank,
        from the GIN indexes, best sources first: the documents that have the
        two rarest words of the query (articles: first in their title,
        summary, tags or codes), then those with one of its three rarest
        words (articles: first in those).
        Ranking reads each candidate's vector: bounding their number bounds
        the time of a broad query ("moteur" is in most articles).

        Each source is a materialized CTE: planned alone (a bitmap scan of
        the GIN index, where a LIMIT would tempt the planner into a
        sequential scan reading every vector) and read lazily, so a source is
        not even opened when the ones before it filled the quota."""
        # the rarest words pick the candidates: a GIN index walks their
        # posting lists, short ones, where common words ("moteur", "trop")
        # would make it walk tens of thousands of entries for nothing
        # (a word the base does not know finds nothing: last)
        rare = sorted(terms, key=lambda t: (t.df is None and t.is_word, t.df or 0))

        def query(words, operator):
            return f" {operator} ".join(
                f"( {kbquery.loosen(t.tsquery)} )" for t in words
            )

        body = rare[0].df is None or rare[0].df <= BODY_AND_MAX_DF
        head = table == "atelier_kb_article"
        tiers = [
            ("kb_head_vector", query(rare[:2], "&"), head),
            ("kb_vector", query(rare[:2], "&"), body),
            ("kb_head_vector", query(rare[:3], "|"), head),
            ("kb_vector", query(rare[:3], "|"), True),
        ]
        tiers = [(column, text) for column, text, wanted in tiers if wanted]
        ctes = SQL(", ").join(
            SQL(
                "%s AS MATERIALIZED (SELECT t.id FROM %s t WHERE t.%s @@ %s::tsquery"
                " AND %s)",
                SQL.identifier(f"tier{index}"),
                SQL.identifier(table),
                SQL.identifier(column),
                text,
                SQL(" AND ").join(where),
            )
            for index, (column, text) in enumerate(tiers)
        )
        stream = SQL(" UNION ALL ").join(
            SQL("(SELECT id FROM %s)", SQL.identifier(f"tier{index}"))
            for index in range(len(tiers))
        )
        return ctes, SQL(
            "SELECT id FROM (%s) s LIMIT %s", stream, MAX_CANDIDATES[table]
        )

    @api.model
    def _kb_tables(self, filters):
        """``[(kind, table, [conditions])]`` to search, filters applied."""
        tables = []
        if filters["articles"]:
            where = [SQL("t.is_published AND t.active")]
            if filters["article_kinds"]:
                where.append(SQL("t.kind = ANY(%s)", filters["article_kinds"]))
            if filters["category_id"]:
                where.append(SQL("t.category_id = %s", filters["category_id"]))
            tables.append(("article", "atelier_kb_article", where))
        if filters["codes"]:
            where = [SQL("t.active")]
            if filters["category_id"]:
                where.append(self._kb_code_category(filters["category_id"]))
            tables.append(("code", "atelier_dtc", where))
        return tables

    @api.model
    def _kb_code_category(self, category_id):
        """Codes of a category: the codes its published articles are about."""
        return SQL(
            """EXISTS (
                SELECT 1 FROM atelier_kb_article_dtc_rel r
                  JOIN atelier_kb_article a ON a.id = r.article_id
                 WHERE r.dtc_id = t.id AND a.category_id = %s
                   AND a.is_published AND a.active)""",
            category_id,
        )

    @api.model
    def _kb_rank_query(self, table, candidates, terms, limit, rank_terms=None):
        """Score of each candidate, between 0 and 1. Each term counts by its
        rarity (idf): 0.5 when the document has it, 0.3 more when its title
        has it; ``ts_rank_cd`` over all the terms (weights A title > B code >
        C summary > D body, more occurrences, closer together) adds up to
        0.2; adjacent query words found side by side add their pair's
        weight."""
        weights = SQL("%s::float4[]", search_sql.WEIGHTS)
        # proximity of the rarer words only (see _kb_selective)
        every = " | ".join(
            dict.fromkeys(f"( {t.tsquery} )" for t in rank_terms or terms)
        )
        total_idf = sum(term.idf for term in terms)
        columns = [SQL("ts_rank_cd(%s, c.v, %s::tsquery, 32) AS r", weights, every)]
        numerator = [SQL("%s * r", 0.2 * total_idf)]
        denominator = total_idf
        for index, term in enumerate(terms):
            has, title = SQL.identifier(f"m{index}"), SQL.identifier(f"a{index}")
            columns.append(
                SQL(
                    "(c.v @@ %s::tsquery)::int AS %s, (c.v @@ %s::tsquery)::int AS %s",
                    term.tsquery,
                    has,
                    kbquery.restrict_weight(term.tsquery, "A"),
                    title,
                )
            )
            numerator.append(SQL("%s * (0.5 * %s + 0.3 * %s)", term.idf, has, title))
        words = [term for term in terms if term.is_word][:MAX_PAIR_WORDS]
        for index, (a, b) in enumerate(zip(words, words[1:], strict=False)):
            pair, weight = SQL.identifier(f"p{index}"), PAIR_WEIGHT * min(a.idf, b.idf)
            # side by side, or one stop word apart ("ratés d'allumage")
            columns.append(
                SQL(
                    "(c.v @@ (tsquery_phrase(%(a)s::tsquery, %(b)s::tsquery, 1)"
                    " || tsquery_phrase(%(a)s::tsquery, %(b)s::tsquery, 2)))::int"
                    " AS %(p)s",
                    a=a.tsquery,
                    b=b.tsquery,
                    p=pair,
                )
            )
            numerator.append(SQL("%s * %s", weight, pair))
            denominator += weight
        ctes, stream = candidates
        # "|| ''": the vector is decompressed once per row, not once per use
        return SQL(
            """
            WITH %(ctes)s,
            c AS MATERIALIZED (
                SELECT t.id, t.kb_vector || ''::tsvector AS v, %(family)s AS family
                  FROM %(table)s t WHERE t.id IN (%(stream)s)
            )
            SELECT f.id, (%(numerator)s) / %(denominator)s AS score, f.family
              FROM (SELECT c.id, c.family, %(columns)s FROM c) f
             ORDER BY score DESC, f.id
             LIMIT %(limit)s
            """,
            ctes=ctes,
            table=SQL.identifier(table),
            family=SQL("left(t.code, 4)" if table == "atelier_dtc" else "NULL::text"),
            stream=stream,
            numerator=SQL(" + ").join(numerator),
            denominator=max(denominator, 1e-6),
            columns=SQL(", ").join(columns),
            limit=limit,
        )

    @api.model
    def _kb_code_matches(self, parsed, filters, limit):
        """Exact codes first (score 1), then the codes of each prefix in
        order ("P03": P0300, P0301..., from 0.99 down)."""
        conditions = []
        if parsed.codes:
            conditions.append(SQL("t.code = ANY(%s)", parsed.codes))
        for prefix in parsed.prefixes:
            conditions.append(SQL("t.code LIKE %s", prefix + "%"))
        where = [SQL("t.active"), SQL("(%s)", SQL(" OR ").join(conditions))]
        if filters["category_id"]:
            where.append(self._kb_code_category(filters["category_id"]))
        self.env.cr.execute(
            SQL(
                """
                SELECT t.id, t.code = ANY(%s) FROM atelier_dtc t
                 WHERE %s
                 ORDER BY t.code = ANY(%s) DESC, t.code
                 LIMIT %s
                """,
                parsed.codes,
                SQL(" AND ").join(where),
                parsed.codes,
                limit,
            )
        )
        return [
            (("code", record_id), 1.0 if exact else round(0.99 - index * 0.0001, 4))
            for index, (record_id, exact) in enumerate(self.env.cr.fetchall())
        ]

    # ------------------------------------------------------------------
    # Results
    # ------------------------------------------------------------------
    @api.model
    def _kb_results(self, hits, terms, rank_terms=None):
        """The result dicts of ``hits``, read in one query: for an article,
        the passage that best matches the query's rarer words (``rank_terms``:
        its text for the assistant, every word of the query highlighted in
        the snippet); for a code, its page as a passage."""
        if not hits:
            return []
        highlight = " | ".join(dict.fromkeys(f"( {term.tsquery} )" for term in terms))
        best = " | ".join(
            dict.fromkeys(f"( {term.tsquery} )" for term in rank_terms or terms)
        )
        article_ids = [i for kind, i, _score in hits if kind == "article"]
        code_ids = [i for kind, i, _score in hits if kind == "code"]

        self.env.cr.execute(
            "SELECT * FROM atelier_kb_results(%s, %s, %s::tsquery, %s::tsquery, %s)",
            [article_ids, code_ids, highlight, best, HEADLINE_OPTIONS],
        )
        fetched = self.env.cr.fetchall()
        labels = self._kb_labels() if code_ids else {}  # may query: after the fetch
        rows = {}
        for row in fetched:
            kind, record_id = row[0], row[1]
            rows[kind, record_id] = (
                self._kb_article_row(*row[1:7])
                if kind == "article"
                else self._kb_code_row(labels, row[1], *row[2:4], *row[6:])
            )
        return [
            dict(rows[kind, record_id], score=round(score, 4))
            for kind, record_id, score in hits
            if (kind, record_id) in rows
        ]

    @api.model
    def _kb_article_row(self, record_id, title, slug, heading, text, headline):
        passage = "\n".join(part for part in (heading, text) if part) or title
        return {
            "kind": "article",
            "res_model": "atelier.kb.article",
            "res_id": record_id,
            "title": title,
            "code": False,
            "snippet": _snippet(headline or text or title),
            "text": _cut(passage, TEXT_CHARS),
            "url": f"/kb/article/{slug}",
        }

    @api.model
    def _kb_code_row(
        self, labels, record_id, title, code, headline, description, symptoms, causes,
        checks,
    ):  # fmt: skip
        passage = [f"{code} : {title}"]
        if description:
            passage.append(description)
        if symptoms:
            passage.append(f"{labels['symptoms']} : " + " ; ".join(lines(symptoms)))
        if causes:
            passage.append(f"{labels['causes']} : " + " ; ".join(lines(causes)))
        if checks:
            steps = lines(checks)
            passage.append(
                f"{labels['checks']} : "
                + " ".join(f"{n}. {step}" for n, step in enumerate(steps, 1))
            )
        return {
            "kind": "code",
            "res_model": "atelier.dtc",
            "res_id": record_id,
            "title": title,
            "code": code,
            "snippet": _snippet(headline or description or title),
            "text": _cut("\n".join(passage), TEXT_CHARS),
            "url": f"/kb/code/{code}",
        }

    @api.model
    def _kb_labels(self):
        """Labels of the code passages, in French when French is installed
        (the knowledge base speaks French first)."""
        env = self.env
        if env["res.lang"]._get_data(code="fr_FR"):
            env = env(context=dict(env.context, lang="fr_FR"))
        return {
            "symptoms": env._("Symptoms"),
            "causes": env._("Possible causes"),
            "checks": env._("Checks and repair"),
        }


def _cut(text, size):
    """``text`` cut at a word boundary before ``size`` characters."""
    text = text.strip()
    if len(text) <= size:
        return text
    cut = text[:size].rsplit(" ", 1)[0]
    return cut.rstrip(" ,;:") + " …"


def _snippet(headline):
    """Safe HTML from a headline: escaped text, each highlighted word in
    <mark>, at most ``SNIPPET_WORDS`` words around the first highlight."""
    words = headline.split()
    first = next((i for i, word in enumerate(words) if START in word), 0)
    start = max(0, first - SNIPPET_WORDS // 3)
    window = words[start : start + SNIPPET_WORDS]
    parts = []
    for word in window:
        marked = START in word and STOP in word
        word = word.replace(START, "").replace(STOP, "") if not marked else word
        html = str(escape(word))
        if marked:
            html = re.sub(f"{START}(.*?){STOP}", r"<mark>\1</mark>", html)
            html = html.replace(START, "").replace(STOP, "")
        parts.append(html)
    snippet = " ".join(parts)
    if start > 0:
        snippet = "… " + snippet
    if start + SNIPPET_WORDS < len(words):
        snippet += " …"
    return snippet
