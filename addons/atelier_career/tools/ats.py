# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Read a CV's PDF back the way an applicant-tracking system does.

The text is extracted with ``pdftotext -layout`` (poppler) and the PDF's
fonts and images are inspected with pypdf. A CV passes when:

- ``order``: its name, headline, section headings and first entries come
  out in the order the learner wrote them;
- ``headings``: every French section heading is there, as text;
- ``words``: every word of the CV comes out intact (a ligature or a glyph
  without a text mapping turns "confiance" into "conance" or "con5ance");
- ``ligatures``: no ligature character (U+FB00-U+FB06) was extracted;
- ``mapping``: every font carries a text mapping (ToUnicode) and no
  replacement or private-use character was extracted;
- ``icons``: no icon font and no image stands for a word.
"""

import io
import os
import re
import shutil
import subprocess
import tempfile
import time
import unicodedata

from pypdf import PdfReader

from .text import fold, squash, words

LIGATURE_RE = re.compile("[\ufb00-\ufb06]")
PRIVATE_RE = re.compile("[\ue000-\uf8ff\ufffd]")
ICON_FONT_RE = re.compile(r"awesome|icon|symbol|dingbat|material|glyph", re.I)
PDFTOTEXT_TIMEOUT = 20


def extract_text(pdf_bytes, layout=True):
    """The PDF's text as pdftotext reads it (pages separated by form feeds)."""
    binary = shutil.which("pdftotext")
    if not binary:
        raise RuntimeError("pdftotext (poppler-utils) is not installed")
    with tempfile.TemporaryDirectory(prefix="atelier-ats-") as folder:
        path = os.path.join(folder, "cv.pdf")
        with open(path, "wb") as handle:
            handle.write(pdf_bytes)
        args = [binary, "-enc", "UTF-8"]
        if layout:
            args.append("-layout")
        result = subprocess.run(
            [*args, path, "-"],
            capture_output=True,
            timeout=PDFTOTEXT_TIMEOUT,
            check=False,
        )
    if result.returncode != 0:
        raise RuntimeError(result.stderr.decode(errors="replace")[:200])
    return result.stdout.decode("utf-8", errors="replace")


def _fonts_and_images(pdf_bytes):
    """(fonts as (name, subtype, has_tounicode), image count, page count)."""
    reader = PdfReader(io.BytesIO(pdf_bytes))
    fonts, images, seen = [], 0, set()

    def walk(resources):
        nonlocal images
        if not resources:
            return
        resources = resources.get_object()
        for ref in (resources.get("/Font") or {}).values():
            font = ref.get_object()
            key = id(font)
            if key in seen:
                continue
            seen.add(key)
            fonts.append(
                (
                    str(font.get("/BaseFont", "")),
                    str(font.get("/Subtype", "")),
                    "/ToUnicode" in font,
                )
            )
        for ref in (resources.get("/XObject") or {}).values():
            xobject = ref.get_object()
            if xobject.get("/Subtype") == "/Image":
                images += 1
            elif xobject.get("/Subtype") == "/Form":
                walk(xobject.get("/Resources"))

    for page in reader.pages:
        walk(page.get("/Resources"))
    return fonts, images, len(reader.pages)


def _positions(haystack, needles):
    """Where each needle is first found after the previous one (-1: not
    found in order)."""
    positions, start = [], 0
    for needle in needles:
        index = haystack.find(needle, start)
        positions.append(index)
        if index >= 0:
            start = index + len(needle)
    return positions


def check_pdf(pdf_bytes, headings, order, content):
    """Check a CV's PDF. ``headings``: the French section headings it must
    show; ``order``: texts that must come out in this order; ``content``:
    the CV's whole text as written. Returns ``{"passed", "checks": [{"code",
    "ok", "detail"}], "pages", "seconds", "text"}``."""
    started = time.perf_counter()
    checks = []

    def add(code, ok, detail=""):
        checks.append({"code": code, "ok": bool(ok), "detail": detail})

    try:
        text = extract_text(pdf_bytes)
    except (RuntimeError, subprocess.TimeoutExpired) as exc:
        add("extract", False, str(exc))
        return {
            "passed": False,
            "checks": checks,
            "pages": 0,
            "seconds": time.perf_counter() - started,
            "text": "",
        }
    flat = fold(squash(unicodedata.normalize("NFC", text)))
    add("extract", bool(flat.strip()), "" if flat.strip() else "no text at all")

    folded_order = [fold(squash(item)) for item in order if squash(item)]
    positions = _positions(flat, folded_order)
    lost = [
        order_item for order_item, pos in zip(order, positions, strict=False) if pos < 0
    ]
    add("order", not lost, ", ".join(lost[:5]))

    absent = [h for h in headings if fold(squash(h)) not in flat]
    add("headings", not absent, ", ".join(absent))

    ligatures = sorted(set(LIGATURE_RE.findall(text)))
    add("ligatures", not ligatures, " ".join(ligatures))

    extracted = set(words(text))
    missing = []
    for word in words(content):
        if word not in extracted and word not in missing:
            missing.append(word)
    add("words", not missing, ", ".join(missing[:10]))

    fonts, images, pages = _fonts_and_images(pdf_bytes)
    unmapped = [
        name
        for name, subtype, has_map in fonts
        if not has_map and subtype in ("/Type0", "/Type3", "/TrueType")
    ]
    strange = sorted(set(PRIVATE_RE.findall(text)))
    detail = ", ".join(unmapped)
    if strange:
        detail = (detail + " " if detail else "") + " ".join(
            f"U+{ord(c):04X}" for c in strange
        )
    add("mapping", not unmapped and not strange, detail)

    icon_fonts = [name for name, _subtype, _map in fonts if ICON_FONT_RE.search(name)]
    add(
        "icons",
        not icon_fonts and not images,
        ", ".join(icon_fonts) + (f" {images} image(s)" if images else ""),
    )
    return {
        "passed": all(check["ok"] for check in checks),
        "checks": checks,
        "pages": pages,
        "seconds": time.perf_counter() - started,
        "text": text,
    }
