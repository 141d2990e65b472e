# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Text helpers of the knowledge base (no Odoo import): slugs, HTML to plain
text, and the small Markdown subset the content is written in."""

import html
import re

from lxml import etree
from lxml import html as lxml_html

from .query import unaccent

SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
BLOCK_TAGS = {
    "p",
    "div",
    "li",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "tr",
    "br",
    "blockquote",
    "pre",
    "section",
}


def slugify(text, max_length=80):
    """ASCII kebab-case: "Ratés d'allumage : méthode" -> "rates-d-allumage-methode"."""
    slug = re.sub(r"[^a-z0-9]+", "-", unaccent(text or "")).strip("-")
    return slug[:max_length].rstrip("-")


def html_to_text(value):
    """Plain text of an HTML body: one line per block, list items with "- "."""
    if not value or not str(value).strip():
        return ""
    try:
        root = lxml_html.fragment_fromstring(str(value), create_parent="div")
    except (etree.ParserError, ValueError):
        return re.sub(r"<[^>]+>", " ", str(value)).strip()
    for node in root.iter("script", "style"):
        node.text = ""
    lines = []

    def walk(node):
        if not isinstance(node.tag, str):
            return
        tag = node.tag.lower()
        if tag in BLOCK_TAGS:
            lines.append("\n")
        if tag == "li":
            lines.append("- ")
        if node.text and tag not in ("script", "style"):
            lines.append(node.text)
        for child in node:
            walk(child)
            if child.tail:
                lines.append(child.tail)
        if tag in BLOCK_TAGS:
            lines.append("\n")

    walk(root)
    text = "".join(lines)
    text = re.sub(r"[ \t\r\f\v\u00a0]+", " ", text)
    return "\n".join(line.strip() for line in text.split("\n") if line.strip())


INLINE_BOLD = re.compile(r"\*\*(.+?)\*\*")
INLINE_ITALIC = re.compile(r"(?<![*\w])\*(?!\s)(.+?)(?<!\s)\*(?![*\w])")
INLINE_CODE = re.compile(r"`([^`]+)`")
ORDERED_RE = re.compile(r"^\s*\d+[.)]\s+(.*)$")
BULLET_RE = re.compile(r"^\s*[-*+]\s+(.*)$")
HEADING_RE = re.compile(r"^(#{1,6})\s+(.*?)\s*#*$")


def _inline(text):
    text = html.escape(text, quote=False)
    text = INLINE_CODE.sub(r"<code>\1</code>", text)
    text = INLINE_BOLD.sub(r"<strong>\1</strong>", text)
    return INLINE_ITALIC.sub(r"<em>\1</em>", text)


def markdown_to_html(text):
    """HTML of the Markdown the content writers use: headings (``##``), bullet
    and numbered lists, paragraphs, ``**bold**``, ``*italic*``, ``code``.
    Everything else is escaped text; no raw HTML goes through."""
    out = []
    paragraph = []
    list_tag = None

    def close_paragraph():
        if paragraph:
            out.append("<p>{}</p>".format(_inline(" ".join(paragraph))))
            paragraph.clear()

    def close_list():
        nonlocal list_tag
        if list_tag:
            out.append(f"</{list_tag}>")
            list_tag = None

    for raw in (text or "").splitlines():
        line = raw.rstrip()
        if not line.strip():
            close_paragraph()
            close_list()
            continue
        heading = HEADING_RE.match(line.strip())
        ordered = ORDERED_RE.match(line)
        bullet = BULLET_RE.match(line)
        if heading:
            close_paragraph()
            close_list()
            # an article's title is its <h1>: its sections start at <h2>
            level = min(max(len(heading.group(1)), 2), 4)
            out.append(f"<h{level}>{_inline(heading.group(2))}</h{level}>")
        elif ordered or bullet:
            close_paragraph()
            tag = "ol" if ordered else "ul"
            if list_tag != tag:
                close_list()
                out.append(f"<{tag}>")
                list_tag = tag
            out.append(f"<li>{_inline((ordered or bullet).group(1))}</li>")
        elif list_tag and raw.startswith((" ", "\t")) and out:
            # continuation of a list item
            out[-1] = out[-1][: -len("</li>")] + " " + _inline(line.strip()) + "</li>"
        else:
            close_list()
            paragraph.append(line.strip())
    close_paragraph()
    close_list()
    return "\n".join(out)


def lines(text):
    """The non-empty lines of a one-item-per-line text field, numbering and
    bullets removed ("1. Lire..." -> "Lire...")."""
    result = []
    for line in (text or "").splitlines():
        line = re.sub(r"^\s*(?:[-*•]|\d+[.)])\s*", "", line).strip()
        if line:
            result.append(line)
    return result


PASSAGE_CHARS = 1200
HEADING_TAGS = {"h1", "h2", "h3", "h4", "h5", "h6"}


def html_passages(value, size=PASSAGE_CHARS):
    """``[(heading, text)]``: the body cut at its headings, each section in
    chunks of at most ``size`` characters (cut between blocks, or between
    words for one very long block). The heading of a section is repeated in
    each of its chunks."""
    text = html_to_text_blocks(value)
    passages = []
    heading, chunk = "", []

    def flush():
        if chunk:
            passages.append((heading, "\n".join(chunk)))
            chunk.clear()

    for tag, block in text:
        if tag in HEADING_TAGS:
            flush()
            heading = block
            continue
        while len(block) > size:
            cut = block[:size].rsplit(" ", 1)[0] or block[:size]
            flush()
            passages.append((heading, cut))
            block = block[len(cut) :].strip()
        if chunk and len("\n".join(chunk)) + len(block) + 1 > size:
            flush()
        if block:
            chunk.append(block)
    flush()
    return passages


def html_to_text_blocks(value):
    """``[(tag, text)]`` of the blocks of an HTML body (headings, paragraphs,
    list items as "- item")."""
    if not value or not str(value).strip():
        return []
    try:
        root = lxml_html.fragment_fromstring(str(value), create_parent="div")
    except (etree.ParserError, ValueError):
        return [("p", re.sub(r"<[^>]+>", " ", str(value)).strip())]
    blocks = []
    for node in root.iter():
        if not isinstance(node.tag, str):
            continue
        tag = node.tag.lower()
        if tag in HEADING_TAGS or tag in ("p", "li", "pre", "blockquote"):
            if any(
                isinstance(a.tag, str) and a.tag.lower() in ("li", "p")
                for a in node.iterancestors()
                if a is not root
            ):
                continue  # inside a list item or a paragraph: part of it
            text = re.sub(r"\s+", " ", node.text_content()).strip()
            if text:
                blocks.append((tag, f"- {text}" if tag == "li" else text))
    return blocks
