# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import base64
import struct
import subprocess
import zlib

from odoo.tests import tagged

from ..tools import ats
from .common import CareerCase, cv_values

FRENCH_HEADINGS = [
    "Profil",
    "Expérience professionnelle",
    "Formation",
    "Compétences",
    "Langues",
    "Certificats et formations suivies",
]


def png(width=4, height=4):
    """A small valid red PNG: an image where a word should be."""

    def chunk(kind, data):
        return (
            struct.pack(">I", len(data))
            + kind
            + data
            + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
        )

    raw = b"".join(b"\x00" + b"\xff\x00\x00" * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(raw))
        + chunk(b"IEND", b"")
    )


PIXEL = base64.b64encode(png()).decode()


def unmapped_font_pdf(text):
    """A one-page PDF whose text is drawn with a TrueType font that carries
    no ToUnicode map (wkhtmltopdf always writes one: this one is built by
    hand)."""
    stream = f"BT /F1 12 Tf 72 720 Td ({text}) Tj ET".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
        b"/Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream),
        b"<< /Type /Font /Subtype /TrueType /BaseFont /Arial "
        b"/FirstChar 32 /LastChar 126 /Encoding /WinAnsiEncoding >>",
    ]
    out, offsets = bytearray(b"%PDF-1.4\n"), []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


def html_pdf(body):
    """A PDF made by wkhtmltopdf from ``body`` (the same engine as reports)."""
    html = f'<html><head><meta charset="utf-8"></head><body>{body}</body></html>'
    result = subprocess.run(
        ["wkhtmltopdf", "-q", "-", "-"],
        input=html.encode(),
        capture_output=True,
        check=False,
        timeout=60,
    )
    return result.stdout


@tagged("post_install", "-at_install")
class TestAtsCheck(CareerCase):
    def setUp(self):
        super().setUp()
        # wkhtmltopdf fetches the report's assets from the test server
        self.enterContext(self.allow_pdf_render())

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Cv = cls.env["atelier.career.cv"].with_user(cls.learner)
        cls.cvs = {
            template: Cv.create(cv_values(template=template))
            for template in ("classique", "moderne", "compact")
        }

    def test_every_template_passes_and_reads_in_french(self):
        for template, cv in self.cvs.items():
            with self.subTest(template=template):
                pdf, result = cv.action_export_pdf()
                self.assertTrue(pdf.startswith(b"%PDF"))
                failed = [c for c in result["checks"] if not c["ok"]]
                self.assertFalse(failed, f"{template}: {failed}")
                self.assertTrue(cv.ats_friendly)
                text = ats.extract_text(pdf)
                positions = [text.find(heading) for heading in FRENCH_HEADINGS]
                self.assertNotIn(-1, positions, f"{template}: {text[:400]}")
                self.assertEqual(positions, sorted(positions), "headings out of order")
                for word in (
                    "confiance",
                    "efficace",
                    "qualifié",
                    "fiabilise",
                    "officialise",
                ):
                    self.assertIn(word, text, "a ligature broke a word")
                self.assertTrue(cv.exported_date)

    def test_badge_goes_when_the_cv_changes(self):
        cv = self.cvs["moderne"]
        cv.action_check_ats()
        self.assertTrue(cv.ats_friendly)
        cv.headline = "Chef d'équipe atelier"
        self.assertFalse(
            cv.ats_friendly, "the badge shows only for the checked content"
        )
        cv.line_ids[:1].title = "Chef mécanicien"
        cv.action_check_ats()
        self.assertTrue(cv.ats_friendly)

    def test_two_pages_break_between_entries(self):
        cv = (
            self.env["atelier.career.cv"]
            .with_user(self.learner)
            .create(cv_values(template="compact", experiences=14))
        )
        pdf, result = cv.action_export_pdf()
        self.assertTrue(result["passed"], result["checks"])
        self.assertGreaterEqual(result["pages"], 2)
        pages = ats.extract_text(pdf).split("\f")
        for index in range(1, 15):
            title = f"Mécanicien diagnostic {index} – Garage du Rhône {index}"
            holding = [n for n, page in enumerate(pages) if title in page]
            self.assertEqual(len(holding), 1, f"entry {index} split or lost")
            page = pages[holding[0]]
            after = page[page.index(title) :]
            self.assertIn(
                "Formé deux apprentis", after, f"entry {index} cut by a page break"
            )

    def test_the_check_refuses_what_an_ats_cannot_read(self):
        good = html_pdf("<h1>Karim Benali</h1><h2>Profil</h2><p>confiance</p>")
        result = ats.check_pdf(
            good, ["Profil"], ["Karim Benali", "Profil"], "Karim Benali confiance"
        )
        self.assertTrue(result["passed"], result["checks"])

        def failed(result):
            return {c["code"] for c in result["checks"] if not c["ok"]}

        # the order of the page is not the order of the CV
        result = ats.check_pdf(good, ["Profil"], ["Profil", "Karim Benali"], "Profil")
        self.assertEqual(failed(result), {"order"})
        # a heading missing
        result = ats.check_pdf(good, ["Profil", "Langues"], [], "Profil")
        self.assertEqual(failed(result), {"headings"})
        # a ligature glyph extracted as one character: "conﬁance"
        ligature = html_pdf("<p>con\ufb01ance</p>")
        result = ats.check_pdf(ligature, [], [], "confiance")
        self.assertEqual(failed(result), {"ligatures"})
        # a glyph mapped to the wrong text: "con5ance" where the CV says "confiance"
        broken = html_pdf("<p>con5ance</p>")
        result = ats.check_pdf(broken, [], [], "confiance")
        self.assertEqual(failed(result), {"words"})
        # an image standing for a word (a phone icon)
        icon = html_pdf(
            f'<p><img src="data:image/png;base64,{PIXEL}" width="12"/>'
            " 06 12 34 56 78</p>"
        )
        result = ats.check_pdf(icon, [], [], "06 12 34 56 78")
        self.assertEqual(failed(result), {"icons"})
        # a font without a text mapping (no ToUnicode): what an icon font or a
        # subset font of a broken exporter looks like
        result = ats.check_pdf(
            unmapped_font_pdf("Telephone 06 12"), [], [], "Telephone 06 12"
        )
        self.assertEqual(failed(result), {"mapping"})
        # not a PDF at all
        result = ats.check_pdf(b"not a pdf", [], [], "x")
        self.assertFalse(result["passed"])

    def test_failed_check_shows_no_badge(self):
        cv = self.cvs["classique"]
        cv.action_check_ats()
        self.assertTrue(cv.ats_friendly)
        cv.sudo().ats_state = "failed"
        self.assertFalse(cv.ats_friendly)
