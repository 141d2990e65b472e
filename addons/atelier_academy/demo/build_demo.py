#!/usr/bin/env python3
# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Build the academy's demo catalogue from its French content (YAML).

Reads demo/content/ (competencies, one course per domain, the placement
test, paths, packages and bands) and writes:

* demo/atelier_academy_content_demo.xml: competencies, courses with their
  sections, lessons (Markdown turned into HTML), quizzes, exams (timed
  surveys, limited attempts, a random pool), the placement test, paths,
  packages and score bands;
* demo/pdf/<lesson>.pdf: the "pdf" lessons, typeset with reportlab;
* demo/img/course_<domain>.png: each course's cover (its domain's colours
  and pictogram, drawn with Pillow and Odoo's Font Awesome).

A developer tool (PyYAML, reportlab), not loaded by Odoo. Run it again
after editing the content:

    .venv/bin/python addons/atelier_academy/demo/build_demo.py
"""

import html
import os
import pathlib
import random
import re
import sys
from xml.sax.saxutils import quoteattr

import yaml
from PIL import Image, ImageDraw, ImageFont
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import ListFlowable, ListItem, Paragraph, SimpleDocTemplate

HERE = pathlib.Path(__file__).resolve().parent
PDF_DESCRIPTION = (
    "<p>Fiche atelier au format PDF, à imprimer et à garder à portée de main.</p>"
)
PLACEMENT_INTRO = (
    "<p>Une vingtaine de minutes, une section par domaine : à la fin, vous voyez "
    "vos résultats par domaine et le parcours que nous vous recommandons. "
    "Répondez sans chercher : « je ne sais pas » est une vraie réponse.</p>"
)
CONTENT = HERE / "content"
OUTPUT = HERE / "atelier_academy_content_demo.xml"
PDF_DIR = HERE / "pdf"
IMG_DIR = HERE / "img"
FONT_AWESOME = (
    pathlib.Path(os.environ.get("ODOO_SRC", "/opt/odoo/19.0"))
    / "addons/web/static/src/libs/fontawesome/fonts/fontawesome-webfont.ttf"
)
# course covers: pictogram (Font Awesome 4), gradient colours
COVERS = {
    "diagnostic": ("\uf0f1", (60, 72, 107), (113, 75, 103)),
    "thermique": ("\uf06d", (140, 56, 40), (214, 120, 50)),
    "electrique": ("\uf0e7", (22, 90, 140), (40, 160, 200)),
    "hybride": ("\uf06c", (30, 110, 70), (110, 170, 80)),
    "hydrogene": ("\uf043", (20, 100, 130), (90, 180, 200)),
    "gpl": ("\uf134", (110, 60, 120), (190, 100, 120)),
    "adas": ("\uf06e", (50, 50, 60), (100, 110, 140)),
}

# the content's domain keys -> the addon's
DOMAINS = {
    "thermique": "thermal",
    "electrique": "electric",
    "hybride": "hybrid",
    "hydrogene": "hydrogen",
    "gpl": "lpg_cng",
    "adas": "adas",
    "diagnostic": "diagnostics",
    "global": "global",
}
LEVELS = {"debutant": "Débutant", "intermediaire": "Intermédiaire", "avance": "Avancé"}
COURSE_ORDER = [
    "diagnostic",
    "thermique",
    "electrique",
    "hybride",
    "hydrogene",
    "gpl",
    "adas",
]


def xmlid(*parts):
    return "_".join(
        re.sub(r"[^a-z0-9]+", "_", str(p).lower()).strip("_") for p in parts
    )


# ---------------------------------------------------------------------------
# Markdown (the subset the content uses: ## headings, paragraphs, - and 1.
# lists, **bold**)
# ---------------------------------------------------------------------------
def inline(text):
    text = html.escape(text, quote=False)
    return re.sub(r"\*\*(.+?)\*\*", r"<strong>\1</strong>", text)


def markdown_blocks(text):
    """[(kind, payload)]: ('h', level, text), ('p', text), ('ul'|'ol', [items])."""
    blocks, paragraph, items, kind = [], [], [], None

    def flush():
        nonlocal paragraph, items, kind
        if paragraph:
            blocks.append(("p", " ".join(paragraph)))
        if items:
            blocks.append((kind, items))
        paragraph, items, kind = [], [], None

    for raw in text.splitlines():
        line = raw.strip()
        if not line:
            flush()
            continue
        heading = re.match(r"^(#{1,6})\s+(.*)$", line)
        bullet = re.match(r"^[-*]\s+(.*)$", line) if not line.startswith("**") else None
        number = re.match(r"^\d+\.\s+(.*)$", line)
        if heading:
            flush()
            blocks.append(("h", len(heading.group(1)), heading.group(2)))
        elif bullet or number:
            wanted = "ul" if bullet else "ol"
            if paragraph or (kind and kind != wanted):
                flush()
            kind = wanted
            items.append((bullet or number).group(1))
        else:
            if items:
                flush()
            paragraph.append(line)
    flush()
    return blocks


def markdown_to_html(text):
    out = []
    for block in markdown_blocks(text):
        if block[0] == "h":
            level = min(block[1] + 1, 6)  # the lesson title is the h1/h2
            out.append(f"<h{level}>{inline(block[2])}</h{level}>")
        elif block[0] == "p":
            out.append(f"<p>{inline(block[1])}</p>")
        else:
            lis = "".join(f"<li>{inline(item)}</li>" for item in block[1])
            out.append(f"<{block[0]}>{lis}</{block[0]}>")
    return "\n".join(out)


def course_cover(key, path, size=(1200, 675)):
    """A course's cover: a gradient of its domain's colours, a faint
    circuit and its pictogram in a disc (deterministic)."""
    glyph, start, end = COVERS[key]
    width, height = size
    image = Image.new("RGB", size)
    pixels = image.load()
    for y in range(height):
        for x in range(width):
            t = x / width * 0.6 + y / height * 0.4
            pixels[x, y] = tuple(
                int(a + (b - a) * t) for a, b in zip(start, end, strict=True)
            )
    draw = ImageDraw.Draw(image, "RGBA")
    rng = random.Random(key)
    for _trace in range(26):
        x, y = rng.randrange(0, width, 25), rng.randrange(0, height, 25)
        points = [(x, y)]
        for _turn in range(rng.randint(2, 4)):
            dx, dy = rng.choice([(1, 0), (0, 1), (1, 1), (-1, 1)])
            step = rng.randint(3, 9) * 25
            x, y = x + dx * step, y + dy * step
            points.append((x, y))
        draw.line(points, fill=(255, 255, 255, 38), width=4)
        draw.ellipse((x - 9, y - 9, x + 9, y + 9), outline=(255, 255, 255, 60), width=4)
    # centred, no caption: the course page crops the cover's sides
    cx, cy, radius = width // 2, height // 2, 190
    draw.ellipse(
        (cx - radius, cy - radius, cx + radius, cy + radius),
        fill=(255, 255, 255, 40),
        outline=(255, 255, 255, 120),
        width=6,
    )
    font = ImageFont.truetype(str(FONT_AWESOME), 210)
    box = draw.textbbox((0, 0), glyph, font=font)
    draw.text(
        (cx - (box[0] + box[2]) / 2, cy - (box[1] + box[3]) / 2),
        glyph,
        font=font,
        fill=(255, 255, 255, 255),
    )
    image.save(path, optimize=True)


def markdown_to_pdf(title, text, path):

    fonts = pathlib.Path("/usr/share/fonts/truetype/dejavu")
    pdfmetrics.registerFont(TTFont("DejaVu", str(fonts / "DejaVuSans.ttf")))
    pdfmetrics.registerFont(TTFont("DejaVu-Bold", str(fonts / "DejaVuSans-Bold.ttf")))
    pdfmetrics.registerFontFamily("DejaVu", normal="DejaVu", bold="DejaVu-Bold")
    styles = getSampleStyleSheet()
    body = ParagraphStyle(
        "body", parent=styles["BodyText"], fontName="DejaVu", fontSize=10.5, leading=14
    )
    h1 = ParagraphStyle(
        "h1",
        parent=styles["Heading1"],
        fontName="DejaVu-Bold",
        textColor=colors.HexColor("#1d4e89"),
    )
    h2 = ParagraphStyle(
        "h2",
        parent=styles["Heading2"],
        fontName="DejaVu-Bold",
        textColor=colors.HexColor("#1d4e89"),
    )
    story = [Paragraph(html.escape(title), h1)]
    for block in markdown_blocks(text):
        if block[0] == "h":
            story.append(Paragraph(inline(block[2]).replace("strong>", "b>"), h2))
        elif block[0] == "p":
            story.append(Paragraph(inline(block[1]).replace("strong>", "b>"), body))
        else:
            story.append(
                ListFlowable(
                    [
                        ListItem(Paragraph(inline(i).replace("strong>", "b>"), body))
                        for i in block[1]
                    ],
                    bulletType="bullet" if block[0] == "ul" else "1",
                    bulletFontName="DejaVu",
                )
            )
    doc = SimpleDocTemplate(
        str(path),
        pagesize=A4,
        leftMargin=18 * mm,
        rightMargin=18 * mm,
        topMargin=16 * mm,
        bottomMargin=16 * mm,
        title=title,
        author="Atelier Services Lyon — académie",
        invariant=1,  # same input, same bytes
    )
    doc.build(story)


# ---------------------------------------------------------------------------
# XML
# ---------------------------------------------------------------------------
class Xml:
    def __init__(self):
        self.lines = [
            '<?xml version="1.0" encoding="utf-8"?>',
            "<!-- Generated by demo/build_demo.py from demo/content/: do not edit. -->",
            "<odoo>",
        ]

    def comment(self, text):
        self.lines.append(f"\n    <!-- {html.escape(text)} -->")

    def record(self, rid, model, fields):
        self.lines.append(f'    <record id="{rid}" model="{model}">')
        for name, value in fields:
            if value is None:
                continue
            if isinstance(value, tuple) and value[0] == "ref":
                self.lines.append(f'        <field name="{name}" ref="{value[1]}"/>')
            elif isinstance(value, tuple) and value[0] == "eval":
                self.lines.append(
                    f'        <field name="{name}" eval={quoteattr(value[1])}/>'
                )
            elif isinstance(value, tuple) and value[0] == "file":
                self.lines.append(
                    f'        <field name="{name}" type="base64" file="{value[1]}"/>'
                )
            elif isinstance(value, tuple) and value[0] == "html":
                self.lines.append(
                    f'        <field name="{name}" type="html">{value[1]}</field>'
                )
            elif isinstance(value, bool):
                self.lines.append(f'        <field name="{name}" eval="{value}"/>')
            else:
                text = html.escape(str(value), quote=False)
                self.lines.append(f'        <field name="{name}">{text}</field>')
        self.lines.append("    </record>")

    def text(self):
        return "\n".join([*self.lines, "</odoo>", ""])


def refs(ids):
    return ("eval", "[Command.set([" + ", ".join(f"ref('{i}')" for i in ids) + "])]")


def build():
    xml = Xml()
    competencies = yaml.safe_load(
        (CONTENT / "competencies.yaml").read_text(encoding="utf-8")
    )
    comp_ids = {}
    xml.comment("Competencies")
    for comp in competencies:
        rid = xmlid("competency", comp["code"])
        comp_ids[comp["code"]] = rid
        xml.record(
            rid,
            "atelier.academy.competency",
            [
                ("code", comp["code"]),
                ("name", comp["name"]),
                ("domain", DOMAINS[comp["domain"]]),
            ],
        )

    PDF_DIR.mkdir(exist_ok=True)
    IMG_DIR.mkdir(exist_ok=True)
    courses = {}
    for index, key in enumerate(COURSE_ORDER):
        course = yaml.safe_load(
            (CONTENT / "courses" / f"{key}.yaml").read_text(encoding="utf-8")
        )
        courses[key] = course
        cid = xmlid("course", key)
        course_cover(key, IMG_DIR / f"course_{key}.png")
        xml.comment(f"Course: {course['name']}")
        description = f"<p>{inline(course['description'])}</p>"
        xml.record(
            cid,
            "slide.channel",
            [
                ("name", course["name"]),
                ("sequence", index + 1),
                ("description", ("html", description)),
                ("description_short", ("html", description)),
                ("channel_type", "training"),
                ("atelier_domain", DOMAINS[key]),
                ("atelier_level", LEVELS.get(course.get("level"), course.get("level"))),
                ("atelier_sequential", True),
                ("enroll", "invite"),
                ("visibility", "public"),
                ("is_published", True),
                # Sophie, the academy's coach, answers for the courses
                ("user_id", ("ref", "user_sophie")),
                ("image_1920", ("file", f"atelier_academy/demo/img/course_{key}.png")),
            ],
        )
        sequence = 0
        first_lesson = True
        for s_index, section in enumerate(course["sections"]):
            sequence += 1
            xml.record(
                xmlid("course", key, "section", s_index + 1),
                "slide.slide",
                [
                    ("name", section["name"]),
                    ("channel_id", ("ref", cid)),
                    ("is_category", True),
                    ("sequence", sequence),
                    ("is_published", True),
                ],
            )
            for lesson in section["lessons"]:
                sequence += 1
                lid = xmlid("lesson", lesson["key"])
                values = [
                    ("name", lesson["name"]),
                    ("channel_id", ("ref", cid)),
                    ("sequence", sequence),
                    ("completion_time", round(lesson["duration_minutes"] / 60.0, 4)),
                    ("is_published", True),
                    ("is_preview", first_lesson),
                ]
                first_lesson = False
                if lesson["type"] == "pdf":
                    pdf = PDF_DIR / f"{xmlid(lesson['key'])}.pdf"
                    markdown_to_pdf(lesson["name"], lesson["body"], pdf)
                    values += [
                        ("slide_category", "document"),
                        ("source_type", "local_file"),
                        (
                            "binary_content",
                            ("file", f"atelier_academy/demo/pdf/{pdf.name}"),
                        ),
                        (
                            "description",
                            (
                                "html",
                                PDF_DESCRIPTION,
                            ),
                        ),
                    ]
                elif lesson["type"] == "video":
                    values += [
                        ("slide_category", "video"),
                        ("url", lesson["video_url"]),
                    ]
                else:
                    values += [
                        ("slide_category", "article"),
                        ("html_content", ("html", markdown_to_html(lesson["body"]))),
                    ]
                xml.record(lid, "slide.slide", values)
                for q_index, question in enumerate(lesson.get("quiz") or []):
                    qid = xmlid("lesson", lesson["key"], "q", q_index + 1)
                    xml.record(
                        qid,
                        "slide.question",
                        [
                            ("slide_id", ("ref", lid)),
                            ("sequence", q_index + 1),
                            ("question", question["question"]),
                            (
                                "atelier_competency_ids",
                                refs(comp_ids[c] for c in question["competencies"]),
                            ),
                        ],
                    )
                    for a_index, answer in enumerate(question["answers"]):
                        xml.record(
                            xmlid(qid, "a", a_index + 1),
                            "slide.answer",
                            [
                                ("question_id", ("ref", qid)),
                                ("sequence", a_index + 1),
                                ("text_value", answer["text"]),
                                ("is_correct", bool(answer["correct"])),
                                ("comment", answer.get("comment")),
                            ],
                        )
        # the exam: a timed certification, limited attempts, a random pool
        exam = course["exam"]
        sid = xmlid("exam", key)
        xml.record(
            sid,
            "survey.survey",
            [
                ("title", f"Examen : {course['name']}"),
                ("atelier_kind", "exam"),
                ("certification", True),
                ("scoring_type", "scoring_without_answers"),
                ("scoring_success_min", exam["pass_percentage"]),
                ("is_attempts_limited", True),
                ("attempts_limit", exam["attempts"]),
                ("is_time_limited", True),
                ("time_limit", exam["duration_minutes"]),
                ("access_mode", "token"),
                ("questions_layout", "page_per_question"),
                ("questions_selection", "random"),
                ("users_can_go_back", True),
                (
                    "description",
                    (
                        "html",
                        f"<p>{exam['questions_per_attempt']} questions tirées au "
                        "hasard, "
                        f"{exam['duration_minutes']} minutes, {exam['attempts']} "
                        f"tentatives. Réussite à {exam['pass_percentage']} %.</p>",
                    ),
                ),
            ],
        )
        xml.record(
            xmlid(sid, "pool"),
            "survey.question",
            [
                ("survey_id", ("ref", sid)),
                ("title", "Questions de l'examen"),
                ("is_page", True),
                ("question_type", False),
                ("sequence", 1),
                ("random_questions_count", exam["questions_per_attempt"]),
                ("atelier_domain", DOMAINS[key]),
            ],
        )
        for q_index, question in enumerate(exam["pool"]):
            qid = xmlid(sid, "q", q_index + 1)
            xml.record(
                qid,
                "survey.question",
                [
                    ("survey_id", ("ref", sid)),
                    ("title", question["question"]),
                    ("sequence", q_index + 2),
                    ("question_type", "simple_choice"),
                    ("constr_mandatory", True),
                    (
                        "atelier_competency_ids",
                        refs(comp_ids[c] for c in question["competencies"]),
                    ),
                ],
            )
            for a_index, answer in enumerate(question["answers"]):
                xml.record(
                    xmlid(qid, "a", a_index + 1),
                    "survey.question.answer",
                    [
                        ("question_id", ("ref", qid)),
                        ("sequence", a_index + 1),
                        ("value", answer["text"]),
                        ("is_correct", bool(answer["correct"])),
                        ("answer_score", 1.0 if answer["correct"] else 0.0),
                    ],
                )
        xml.record(
            xmlid("exam", key, "slide"),
            "slide.slide",
            [
                ("name", "Examen final du cours"),
                ("channel_id", ("ref", cid)),
                ("sequence", sequence + 1),
                ("slide_category", "certification"),
                ("survey_id", ("ref", sid)),
                ("completion_time", round(exam["duration_minutes"] / 60.0, 4)),
                ("is_published", True),
            ],
        )

    # placement test: who you are, then one section per domain
    placement = yaml.safe_load((CONTENT / "placement.yaml").read_text(encoding="utf-8"))
    pid = "placement_test"
    xml.comment("Placement test")
    xml.record(
        pid,
        "survey.survey",
        [
            ("title", "Test de positionnement de l'académie"),
            ("atelier_kind", "placement"),
            ("scoring_type", "scoring_without_answers"),
            ("access_mode", "public"),
            ("questions_layout", "page_per_section"),
            ("users_can_go_back", True),
            (
                "description",
                (
                    "html",
                    PLACEMENT_INTRO,
                ),
            ),
        ],
    )
    sequence = 1
    xml.record(
        xmlid(pid, "you"),
        "survey.question",
        [
            ("survey_id", ("ref", pid)),
            ("title", "Vous"),
            ("is_page", True),
            ("question_type", False),
            ("sequence", sequence),
        ],
    )
    for title, kind in (
        ("Votre prénom et votre nom", "nickname"),
        ("Votre adresse e-mail", "email"),
    ):
        sequence += 1
        xml.record(
            xmlid(pid, kind),
            "survey.question",
            [
                ("survey_id", ("ref", pid)),
                ("title", title),
                ("sequence", sequence),
                ("question_type", "char_box"),
                ("constr_mandatory", True),
                ("validation_email", kind == "email"),
                ("save_as_email", kind == "email"),
                ("save_as_nickname", kind == "nickname"),
            ],
        )
    for section in placement["sections"]:
        sequence += 1
        sec = xmlid(pid, "section", section["domain"])
        xml.record(
            sec,
            "survey.question",
            [
                ("survey_id", ("ref", pid)),
                ("title", section["name"]),
                ("is_page", True),
                ("question_type", False),
                ("sequence", sequence),
                ("atelier_domain", DOMAINS[section["domain"]]),
            ],
        )
        for q_index, question in enumerate(section["questions"]):
            sequence += 1
            qid = xmlid(pid, section["domain"], "q", q_index + 1)
            xml.record(
                qid,
                "survey.question",
                [
                    ("survey_id", ("ref", pid)),
                    ("title", question["question"]),
                    ("sequence", sequence),
                    ("question_type", "simple_choice"),
                    ("constr_mandatory", True),
                    (
                        "atelier_competency_ids",
                        refs(comp_ids[c] for c in question["competencies"]),
                    ),
                ],
            )
            answers = list(question["answers"]) + [
                {"text": "Je ne sais pas", "score": 0}
            ]
            for a_index, answer in enumerate(answers):
                xml.record(
                    xmlid(qid, "a", a_index + 1),
                    "survey.question.answer",
                    [
                        ("question_id", ("ref", qid)),
                        ("sequence", a_index + 1),
                        ("value", answer["text"]),
                        ("is_correct", answer["score"] == 2),
                        ("answer_score", float(answer["score"])),
                    ],
                )

    # paths, packages, bands
    offer = yaml.safe_load((CONTENT / "paths.yaml").read_text(encoding="utf-8"))
    xml.comment("Learning paths")
    for p_index, path in enumerate(offer["paths"]):
        rid = xmlid("path", path["key"])
        xml.record(
            rid,
            "atelier.academy.path",
            [
                ("name", path["name"]),
                ("sequence", p_index + 1),
                ("description", path["why"]),
            ],
        )
        for l_index, key in enumerate(path["courses"]):
            xml.record(
                xmlid(rid, "line", l_index + 1),
                "atelier.academy.path.line",
                [
                    ("path_id", ("ref", rid)),
                    ("sequence", l_index + 1),
                    ("channel_id", ("ref", xmlid("course", key))),
                    ("min_score", path["min_score"]),
                    ("min_minutes", courses[key]["min_minutes"]),
                ],
            )
    xml.comment("Coaching packages")
    for package in offer["packages"]:
        if package["kind"] == "none":
            continue  # "no coaching": the band enrols in the path directly
        phases = "\n".join(
            (f"Semaines {phase['weeks']} — " if phase.get("weeks") else "")
            + f"{phase['name']} : {phase['text']}"
            for phase in package["phases"]
        )
        xml.record(
            xmlid("package", package["key"]),
            "atelier.academy.package",
            [
                ("name", package["name"]),
                ("kind", package["kind"]),
                ("duration_weeks", package["duration_weeks"] or 0),
                ("coaching_hours", package["coaching_hours"]),
                ("seat_limit", package["seat_limit"] or 0),
                (
                    "description",
                    f"{package['description']}\n\n{phases}\n\n"
                    f"Prix : {package['price_eur']} EUR.",
                ),
                ("path_ids", refs(xmlid("path", key) for key in package["paths"])),
                ("coach_ids", refs(["atelier_academy.user_sophie"])),
            ],
        )
    xml.comment("Placement bands: the first whose conditions all hold wins")
    for b_index, band in enumerate(offer["bands"]):
        rid = xmlid("band", band["key"])
        package = band.get("package")
        xml.record(
            rid,
            "atelier.academy.placement.band",
            [
                ("name", band["name"]),
                ("sequence", (b_index + 1) * 10),
                ("survey_id", ("ref", pid)),
                ("path_id", ("ref", xmlid("path", band["path"]))),
                (
                    "package_id",
                    ("ref", xmlid("package", package))
                    if package and package != "none"
                    else None,
                ),
                ("explanation", band["why"]),
            ],
        )
        for c_index, condition in enumerate(band.get("conditions") or []):
            # the content's bounds are inclusive integers: "max 49" is below 50
            high = condition.get("max")
            xml.record(
                xmlid(rid, "condition", c_index + 1),
                "atelier.academy.placement.band.condition",
                [
                    ("band_id", ("ref", rid)),
                    ("score_on", DOMAINS[condition["domain"]]),
                    ("score_min", condition.get("min", 0)),
                    ("score_max", min(high + 1, 100) if high is not None else 100),
                ],
            )
    OUTPUT.write_text(xml.text(), encoding="utf-8")
    print(
        f"wrote {OUTPUT.relative_to(HERE.parent)} and "
        f"{len(list(PDF_DIR.glob('*.pdf')))} PDF lessons"
    )


if __name__ == "__main__":
    sys.exit(build())
