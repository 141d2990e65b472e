# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""19.0.1.1.0: the shipped reply templates are signed by the sender and
filled from the ticket (they were signed by the assignee and left [date],
[heure]… placeholders); every ticket gets a team and a type.

The templates are ``noupdate`` (users may edit them), so an upgrade does not
rewrite them: the file is reloaded here when one of them still has the old
signature or a placeholder (a shipped template edited by hand is then reset
to the new version). The company gets the default team and type of Settings
if it has none."""

import re

from odoo import SUPERUSER_ID, api
from odoo.tools import convert_file

OLD_MARKERS = re.compile(
    r"object\.user_id\.name|\[(date|heure|durée|délai|raison|intitulé)\]"
)


def migrate(cr, version):
    env = api.Environment(cr, SUPERUSER_ID, {})
    data = env["ir.model.data"].search(
        [("module", "=", "atelier_helpdesk"), ("model", "=", "mail.template")]
    )
    templates = env["mail.template"].browse(data.mapped("res_id")).exists()
    outdated = templates.filtered(lambda t: OLD_MARKERS.search(t.body_html or ""))
    if outdated:
        convert_file(
            env,
            "atelier_helpdesk",
            "data/mail_template_data.xml",
            {},
            mode="init",
            noupdate=True,
        )
    company = env.ref("base.main_company")
    if not company.atelier_helpdesk_team_id:
        company.atelier_helpdesk_team_id = env.ref(
            "atelier_helpdesk.helpdesk_team_desk", raise_if_not_found=False
        )
    if not company.atelier_helpdesk_type_id:
        company.atelier_helpdesk_type_id = env.ref(
            "atelier_helpdesk.helpdesk_type_after_sales", raise_if_not_found=False
        )
