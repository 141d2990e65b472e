#!/usr/bin/env python3
"""Every Atelier addon ships a complete French translation.

Checks, for each addons/atelier*/: i18n/<addon>.pot and i18n/fr.po exist, fr.po
parses, every msgid of the .pot is in fr.po, and every entry of fr.po has a
non-empty, non-fuzzy French msgstr. Exit 1 with the list of gaps.

With ``--export FILE.tgz`` (what ``odoo-bin i18n export -o FILE.tgz`` writes
from a database where the addons are installed: their terms as the code and
the data files are today), it checks instead that every term of that export is
translated in the addon's fr.po: a committed .pot that is out of date cannot
hide a new string (scripts/test.sh runs it on the test database).
"""

import argparse
import os
import pathlib
import re
import sys
import tarfile

import polib


def check_addon(addon_dir):
    name = addon_dir.name
    i18n = addon_dir / "i18n"
    pot_path, po_path = i18n / f"{name}.pot", i18n / "fr.po"
    problems = []
    if not po_path.exists():
        return [f"{name}: i18n/fr.po is missing"]
    try:
        po = polib.pofile(str(po_path))
    except (OSError, ValueError) as exc:
        return [f"{name}: i18n/fr.po does not parse: {exc}"]
    translated = {(e.msgctxt, e.msgid) for e in po if e.msgstr and not e.obsolete}
    for entry in po:
        if entry.obsolete:
            continue
        if not entry.msgstr.strip():
            problems.append(f"{name}: untranslated: {entry.msgid[:70]!r}")
        elif "fuzzy" in entry.flags:
            problems.append(f"{name}: fuzzy: {entry.msgid[:70]!r}")
    if pot_path.exists():
        for entry in polib.pofile(str(pot_path)):
            if (entry.msgctxt, entry.msgid) not in translated:
                problems.append(f"{name}: missing from fr.po: {entry.msgid[:70]!r}")
    else:
        problems.append(f"{name}: i18n/{name}.pot is missing")
    return problems


def odoo_field_labels(odoo_src):
    """Field labels and helps that Odoo's own addons define (from their .pot).

    A model of ours that inherits an Odoo mixin (ratings, activities…) shows
    the mixin's field labels, exported under our addon. Their French lives in
    Odoo's own translations (which this source tree lacks, ODOO19.md #41), not
    in our fr.po.
    """
    labels = set()
    pattern = re.compile(
        r"^#: model:ir\.model(\.fields,(field_description|help)"
        r"|,(name|website_form_label)):"
    )
    for pot in pathlib.Path(odoo_src, "addons").glob("*/i18n/*.pot"):
        wanted = False
        for line in pot.read_text(encoding="utf-8", errors="replace").splitlines():
            if line.startswith("#: "):
                wanted = wanted or bool(pattern.match(line))
            elif line.startswith('msgid "') and wanted:
                labels.add(line[7:-1])
                wanted = False
            elif not line.startswith("#"):
                wanted = False
    return labels


def _only_odoo_label(entry, labels):
    occurrences = [occ for occ, _line in entry.occurrences]
    return (
        entry.msgid.replace('"', '\\"') in labels
        and occurrences
        and all(
            occ.startswith(
                (
                    "model:ir.model.fields,field_description:",
                    "model:ir.model.fields,help:",
                    "model:ir.model,name:",
                    "model:ir.model,website_form_label:",
                )
            )
            for occ in occurrences
        )
    )


def check_export(root, tgz_path, odoo_src=None):
    """Terms of a fresh export missing from the committed fr.po files."""
    problems, checked, odoo_labels = [], 0, None
    tgz_path = pathlib.Path(tgz_path)
    if not tgz_path.exists() or not tgz_path.stat().st_size:
        return 0, []  # Odoo writes nothing when the addons have no term
    with tarfile.open(tgz_path) as tgz:
        for member in tgz.getmembers():
            parts = pathlib.PurePosixPath(member.name).parts
            if not member.isfile() or not member.name.endswith(".pot"):
                continue
            addon = parts[0]
            if not addon.startswith("atelier"):
                continue
            checked += 1
            exported = polib.pofile(tgz.extractfile(member).read().decode())
            po_path = root / "addons" / addon / "i18n" / "fr.po"
            if not po_path.exists():
                problems.append(f"{addon}: i18n/fr.po is missing")
                continue
            po = polib.pofile(str(po_path))
            translated = {
                (e.msgctxt, e.msgid)
                for e in po
                if e.msgstr.strip() and not e.obsolete and "fuzzy" not in e.flags
            }
            for entry in exported:
                if (entry.msgctxt, entry.msgid) in translated:
                    continue
                if odoo_labels is None:
                    odoo_labels = odoo_field_labels(odoo_src) if odoo_src else set()
                if not _only_odoo_label(entry, odoo_labels):
                    problems.append(
                        f"{addon}: not translated (run scripts/i18n_update.sh "
                        f"{addon}): {entry.msgid[:70]!r}"
                    )
    return checked, problems


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--export", help="a .tgz from odoo-bin i18n export")
    parser.add_argument(
        "--odoo-src",
        default=os.environ.get("ODOO_SRC", "/opt/odoo/19.0"),
        help="Odoo's source tree: labels of Odoo's own fields are Odoo's to translate",
    )
    args = parser.parse_args()
    root = pathlib.Path(__file__).resolve().parent.parent
    if args.export:
        checked, problems = check_export(root, args.export, args.odoo_src)
        for problem in problems[:200]:
            print(f"  {problem}")
        if len(problems) > 200:
            print(f"  … and {len(problems) - 200} more")
        print(f"i18n export: {checked} addons checked, {len(problems)} problems")
        return 1 if problems else 0
    addons = sorted(
        p
        for p in (root / "addons").glob("atelier*")
        if (p / "__manifest__.py").exists()
    )
    problems = [problem for addon in addons for problem in check_addon(addon)]
    for problem in problems[:200]:
        print(f"  {problem}")
    if len(problems) > 200:
        print(f"  … and {len(problems) - 200} more")
    print(f"i18n: {len(addons)} addons checked, {len(problems)} problems")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
