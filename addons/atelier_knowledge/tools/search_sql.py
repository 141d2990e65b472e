# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The PostgreSQL side of the knowledge-base search: extensions, text search
configurations, the stored ``tsvector`` columns and their GIN indexes.

- ``atelier_fr`` / ``atelier_en``: copies of PostgreSQL's ``french`` and
  ``english`` configurations whose words go through the language's stop words,
  then ``unaccent`` (a filtering dictionary), then the Snowball stemmer. So
  "Défaillances" and "defaillance" both become ``defaill``, and
  ``ts_headline`` highlights "défaillance" for a query typed without accents.
  ``unaccent()`` the function is only stable, but ``to_tsvector(regconfig,
  text)`` is immutable: with unaccent inside the configuration, the stored
  column needs no immutable wrapper, and headlines keep the accents.
- ``kb_vector``: a stored generated column on ``atelier_kb_article`` and
  ``atelier_dtc``, weighted A (title) > B (codes) > C (summary, tags,
  description, symptoms) > D (body, causes, checks), with a GIN index.
  PostgreSQL maintains it on every insert and update, including the SQL
  upserts of the trouble-code import.
- ``atelier_kb_lexeme``: the vocabulary of the published content (lexeme,
  number of documents), from ``ts_stat``: document frequencies for ranking
  and, through a trigram index, typo correction.
"""

from odoo.tools import SQL

VECTOR_VERSION = "atelier_kb_vector v4"
WEIGHTS = "{0.1, 0.2, 0.4, 1.0}"  # D, C, B, A

_CONFIGS = (
    ("atelier_fr", "french", "french_stem", "atelier_fr_stop"),
    ("atelier_en", "english", "english_stem", "atelier_en_stop"),
)
_WORD_TOKENS = "asciiword, asciihword, hword_asciipart, word, hword, hword_part"


def ensure_text_search(cr):
    """Extensions, dictionaries, configurations and the vocabulary table
    (idempotent)."""
    cr.execute("CREATE EXTENSION IF NOT EXISTS unaccent")
    cr.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for config, language, stemmer, stop in _CONFIGS:
        cr.execute("SELECT 1 FROM pg_ts_dict WHERE dictname = %s", [stop])
        if not cr.fetchone():
            cr.execute(
                SQL(
                    "CREATE TEXT SEARCH DICTIONARY %s"
                    " (TEMPLATE = simple, STOPWORDS = %s, ACCEPT = false)",
                    SQL.identifier(stop),
                    SQL(language),
                )
            )
        cr.execute("SELECT 1 FROM pg_ts_config WHERE cfgname = %s", [config])
        if not cr.fetchone():
            cr.execute(
                SQL(
                    "CREATE TEXT SEARCH CONFIGURATION %s (COPY = %s)",
                    SQL.identifier(config),
                    SQL(language),
                )
            )
            cr.execute(
                SQL(
                    "ALTER TEXT SEARCH CONFIGURATION %s ALTER MAPPING FOR %s"
                    " WITH %s, unaccent, %s",
                    SQL.identifier(config),
                    SQL(_WORD_TOKENS),
                    SQL.identifier(stop),
                    SQL(stemmer),
                )
            )
    cr.execute(
        """
        CREATE TABLE IF NOT EXISTS atelier_kb_lexeme (
            word text PRIMARY KEY,
            ndoc integer NOT NULL
        )
        """
    )
    # on lower(word), which the words already are: the planner cannot take
    # it for "word = ..." (the trigram index answers "=" too, 100 times
    # slower than the primary key)
    cr.execute("DROP INDEX IF EXISTS atelier_kb_lexeme_word_trgm")
    cr.execute(
        "CREATE INDEX IF NOT EXISTS atelier_kb_lexeme_lower_trgm"
        " ON atelier_kb_lexeme USING gin (lower(word) gin_trgm_ops)"
    )


def _translated(column, weight):
    """The French text of a translated (jsonb) column with ``atelier_fr``,
    else its English text with ``atelier_en``."""
    ident = SQL.identifier(column)
    return SQL(
        "setweight(to_tsvector('atelier_fr'::regconfig,"
        " COALESCE(%(c)s->>'fr_FR', ''))"
        " || to_tsvector('atelier_en'::regconfig,"
        " CASE WHEN %(c)s ? 'fr_FR' THEN '' ELSE COALESCE(%(c)s->>'en_US', '') END),"
        " %(w)s)",
        c=ident,
        w=weight,
    )


def _plain(config, weight, *columns):
    text = SQL(" || ' ' || ").join(
        SQL("COALESCE(%s, '')", SQL.identifier(column)) for column in columns
    )
    return SQL("setweight(to_tsvector(%s::regconfig, %s), %s)", config, text, weight)


def article_vector_expression():
    def vector(config):
        return SQL(" || ").join(
            [
                _plain(config, "A", "title"),
                _plain("simple", "B", "code_list"),
                _plain(config, "C", "summary", "tag_list"),
                _plain(config, "D", "body_text"),
            ]
        )

    return SQL(
        "CASE WHEN lang = 'en_US' THEN %s ELSE %s END",
        vector("atelier_en"),
        vector("atelier_fr"),
    )


def article_head_vector_expression():
    """Title, codes, summary and tags: small, stored in the row, it finds
    the articles *about* a word among the many that mention it."""

    def vector(config):
        return SQL(" || ").join(
            [
                _plain(config, "A", "title"),
                _plain("simple", "B", "code_list"),
                _plain(config, "C", "summary", "tag_list"),
            ]
        )

    return SQL(
        "CASE WHEN lang = 'en_US' THEN %s ELSE %s END",
        vector("atelier_en"),
        vector("atelier_fr"),
    )


def passage_vector_expression():
    return SQL(
        "CASE WHEN lang = 'en_US' THEN %s ELSE %s END",
        SQL(" || ").join(
            [_plain("atelier_en", "A", "heading"), _plain("atelier_en", "D", "text")]
        ),
        SQL(" || ").join(
            [_plain("atelier_fr", "A", "heading"), _plain("atelier_fr", "D", "text")]
        ),
    )


def dtc_vector_expression():
    return SQL(" || ").join(
        [
            _translated("title", "A"),
            _plain("simple", "B", "code"),
            _translated("description", "C"),
            _translated("symptoms", "C"),
            _translated("likely_causes", "D"),
            _plain("atelier_fr", "D", "checks"),
        ]
    )


def ensure_vector_column(cr, table, expression, column="kb_vector"):
    """Add (or rebuild, when its definition changed) a generated ``tsvector``
    column of ``table`` and its GIN index."""
    cr.execute(
        """
        SELECT col_description(attrelid, attnum)
          FROM pg_attribute
         WHERE attrelid = %s::regclass AND attname = %s AND NOT attisdropped
        """,
        [table, column],
    )
    row = cr.fetchone()
    if row and row[0] == VECTOR_VERSION:
        return
    ident = SQL.identifier(column)
    if row:
        cr.execute(SQL("ALTER TABLE %s DROP COLUMN %s", SQL.identifier(table), ident))
    # STORAGE MAIN (in the same statement, so the rewrite already uses it):
    # the vector stays in the row, compressed; out of line (TOAST), ranking
    # would fetch it from the TOAST table for every candidate (4 times slower)
    cr.execute(
        SQL(
            "ALTER TABLE %s ADD COLUMN %s tsvector GENERATED ALWAYS AS (%s) STORED,"
            " ALTER COLUMN %s SET STORAGE MAIN",
            SQL.identifier(table),
            ident,
            expression,
            ident,
        )
    )
    cr.execute(
        SQL(
            "COMMENT ON COLUMN %s.%s IS %s",
            SQL.identifier(table),
            ident,
            VECTOR_VERSION,
        )
    )
    cr.execute(
        SQL(
            "CREATE INDEX %s ON %s USING gin (%s)",
            SQL.identifier(f"{table}_{column}_gin"),
            SQL.identifier(table),
            ident,
        )
    )


def _translated_text(column):
    return f"COALESCE(t.{column}->>'fr_FR', t.{column}->>'en_US', '')"


def _joined_lines(expression):
    """One line per item -> "a ; b", NULL when empty (for concat_ws)."""
    return f"NULLIF(replace({expression}, E'\\n', ' ; '), '')"


RESULTS_FUNCTION = f"""
CREATE OR REPLACE FUNCTION atelier_kb_results(
    article_ids integer[], code_ids integer[], q tsquery, best_q tsquery,
    options text)
RETURNS TABLE (kind text, id integer, title text, key text, heading text,
               body text, headline text, description text, symptoms text,
               causes text, checks text)
LANGUAGE plpgsql STABLE AS $fn$
#variable_conflict use_column
BEGIN
    -- a function: its plan is prepared once per connection, not at each search
    RETURN QUERY
    WITH best AS (
        SELECT DISTINCT ON (p.article_id) p.article_id, p.id
          FROM atelier_kb_passage p
         WHERE p.article_id = ANY(article_ids)
         ORDER BY p.article_id,
                  ts_rank_cd('{WEIGHTS}'::float4[], p.kb_vector, best_q) DESC,
                  p.sequence
    )
    SELECT 'article'::text, a.id, a.title::text, a.slug::text, p.heading::text,
           p.text,
           ts_headline(
               CASE WHEN p.lang = 'en_US' THEN 'atelier_en'::regconfig
                    ELSE 'atelier_fr'::regconfig END,
               p.text, q, options),
           NULL::text, NULL::text, NULL::text, NULL::text
      FROM atelier_kb_article a
      LEFT JOIN best ON best.article_id = a.id
      LEFT JOIN atelier_kb_passage p ON p.id = best.id
     WHERE a.id = ANY(article_ids)
    UNION ALL
    SELECT 'code'::text, t.id, {_translated_text("title")}, t.code::text,
           NULL::text, NULL::text,
           ts_headline(
               CASE WHEN t.description ? 'fr_FR' OR t.title ? 'fr_FR'
                    THEN 'atelier_fr'::regconfig
                    ELSE 'atelier_en'::regconfig END,
               concat_ws(' — ',
                   NULLIF({_translated_text("description")}, ''),
                   {_joined_lines(_translated_text("symptoms"))},
                   {_joined_lines(_translated_text("likely_causes"))},
                   {_joined_lines("t.checks")}),
               q, options),
           {_translated_text("description")}, {_translated_text("symptoms")},
           {_translated_text("likely_causes")}, COALESCE(t.checks, '')
      FROM atelier_dtc t
     WHERE t.id = ANY(code_ids);
END
$fn$
"""


def ensure_functions(cr):
    """The result reader of the search (see ``RESULTS_FUNCTION``)."""
    # the previous signature (before the passages were chosen by the rarer
    # words of the query)
    cr.execute(
        "DROP FUNCTION IF EXISTS"
        " atelier_kb_results(integer[], integer[], tsquery, text)"
    )
    cr.execute(RESULTS_FUNCTION)


def refresh_lexemes(cr):
    """Rebuild the vocabulary of the published content (seconds for 100,000
    documents: run after imports and by the nightly cron)."""
    cr.execute("DELETE FROM atelier_kb_lexeme")
    cr.execute(
        """
        INSERT INTO atelier_kb_lexeme (word, ndoc)
        SELECT word, ndoc FROM ts_stat($$
            SELECT kb_vector FROM atelier_kb_article WHERE is_published AND active
            UNION ALL
            SELECT kb_vector FROM atelier_dtc WHERE active
        $$)
        """
    )
    cr.execute("ANALYZE atelier_kb_lexeme")


def note_lexemes(cr, table, ids):
    """Add the words of new or edited documents to the vocabulary (their
    document counts are refreshed by the cron)."""
    if not ids:
        return
    cr.execute(
        SQL(
            """
            INSERT INTO atelier_kb_lexeme (word, ndoc)
            SELECT DISTINCT word, 1
              FROM %s, unnest(tsvector_to_array(kb_vector)) AS word
             WHERE id = ANY(%s)
            ON CONFLICT (word) DO NOTHING
            """,
            SQL.identifier(table),
            list(ids),
        )
    )


def drop_all(cr):
    """Uninstall: what ``ensure_*`` created, the extensions excepted (other
    code may use them)."""
    for table in ("atelier_kb_article", "atelier_kb_passage", "atelier_dtc"):
        cr.execute("SELECT to_regclass(%s)", [table])
        if cr.fetchone()[0]:
            cr.execute(
                SQL(
                    "ALTER TABLE %s DROP COLUMN IF EXISTS kb_vector,"
                    " DROP COLUMN IF EXISTS kb_head_vector",
                    SQL.identifier(table),
                )
            )
    cr.execute("DROP INDEX IF EXISTS atelier_dtc_code_pattern")
    cr.execute(
        "DROP FUNCTION IF EXISTS"
        " atelier_kb_results(integer[], integer[], tsquery, tsquery, text)"
    )
    cr.execute("DROP TABLE IF EXISTS atelier_kb_lexeme")
    for config, _language, _stemmer, stop in _CONFIGS:
        cr.execute(
            SQL("DROP TEXT SEARCH CONFIGURATION IF EXISTS %s", SQL.identifier(config))
        )
        cr.execute(
            SQL("DROP TEXT SEARCH DICTIONARY IF EXISTS %s", SQL.identifier(stop))
        )
