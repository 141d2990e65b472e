# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.tests import BaseCase

from ..models.atelier_kb_search import START, STOP, _cut, _snippet
from ..tools import query, synonyms, text


class TestQueryTools(BaseCase):
    def test_parse_codes_prefixes_words(self):
        parsed = query.parse("Code p0301 et P03, la C3 broute : défaut P0A80 !")
        self.assertEqual(parsed.codes, ["P0301", "P0A80"])
        self.assertEqual(parsed.prefixes, ["P03"])
        # "code", "défaut" next to a code say nothing more
        self.assertEqual(parsed.words, ["et", "la", "c3", "broute"])
        self.assertEqual(query.parse("code moteur").words, ["code", "moteur"])
        # "les" is missing from PostgreSQL's French stop words
        self.assertEqual(query.parse("Pourquoi les bougies ?").words, ["bougies"])
        self.assertEqual(
            query.parse("l'injecteur du cylindre 3").words[-2:], ["cylindre", "3"]
        )

    def test_parse_drops_operators_and_cuts_long_queries(self):
        parsed = query.parse("a & b | !(c):* 'd' <-> \\e")
        self.assertEqual(parsed.words, [])
        self.assertTrue(parsed.empty)
        parsed = query.parse("batterie " * 1000)
        self.assertTrue(parsed.truncated)
        self.assertLessEqual(len(parsed.cleaned), query.MAX_QUERY_CHARS)
        self.assertEqual(parsed.words, ["batterie"])
        many = query.parse(" ".join(f"mot{i}" for i in range(100)))
        self.assertEqual(len(many.words), query.MAX_WORDS)
        self.assertEqual(query.parse(None).cleaned, "")
        self.assertEqual(query.parse("a\x00b\ue000c").cleaned, "a b c")

    def test_quote_and_weights(self):
        self.assertEqual(query.quote_lexeme("l'a\\b"), "'l''a\\\\b'")
        self.assertEqual(
            query.restrict_weight("( 'batter' ) | 'p03':*", "A"),
            "( 'batter':A ) | 'p03':*A",
        )
        self.assertEqual(query.unaccent("Défaillance Œuvre"), "defaillance oeuvre")
        self.assertEqual(
            query.loosen("'pert' | ( 'mod' <-> 'degrad' ) | 'a' <2> 'b'"),
            "'pert' | ( 'mod' & 'degrad' ) | 'a' & 'b'",
        )

    def test_synonyms(self):
        self.assertIn("temoin", synonyms.alternatives("Voyant"))
        self.assertEqual(synonyms.alternatives("zzz"), [])

    def test_slug_and_lines(self):
        self.assertEqual(
            text.slugify("Ratés d'allumage : la méthode !"),
            "rates-d-allumage-la-methode",
        )
        self.assertEqual(
            text.lines("1. Lire\n\n- Mesurer\n• Remplacer"),
            ["Lire", "Mesurer", "Remplacer"],
        )

    def test_markdown_subset_is_escaped(self):
        html = text.markdown_to_html(
            "## Titre\nUn **gras** et <script>x</script>\n\n1. un\n2. deux\n\n- a\n- b"
        )
        self.assertIn("<h2>Titre</h2>", html)
        self.assertIn("<strong>gras</strong>", html)
        self.assertIn("&lt;script&gt;", html)
        self.assertIn("<ol>\n<li>un</li>\n<li>deux</li>\n</ol>", html)
        self.assertIn("<ul>\n<li>a</li>\n<li>b</li>\n</ul>", html)

    def test_passages_cut_at_headings_and_size(self):
        body = "<h2>Un</h2><p>%s</p><h2>Deux</h2><ul><li>x</li><li>y</li></ul>" % (
            "mot " * 500
        )
        passages = text.html_passages(body, size=300)
        self.assertEqual(passages[0][0], "Un")
        self.assertTrue(all(len(t) <= 300 for _h, t in passages))
        self.assertEqual(passages[-1], ("Deux", "- x\n- y"))
        self.assertEqual(text.html_to_text("<p>a</p><ul><li>b</li></ul>"), "a\n- b")

    def test_snippet_escapes_and_marks(self):
        headline = f"a <script>x</script> & {START}défaut{STOP} {START}b"
        self.assertEqual(
            _snippet(headline),
            "a &lt;script&gt;x&lt;/script&gt; &amp; <mark>défaut</mark> b",
        )
        words = " ".join(f"w{i}" for i in range(200)) + f" {START}x{STOP}"
        snippet = _snippet(words)
        self.assertTrue(snippet.startswith("… ") and "<mark>x</mark>" in snippet)
        self.assertEqual(_cut("un deux trois", 8), "un deux …")
