# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""19.0.1.2.0: the shipped reply templates are suggested above the reply box
of the tickets at some stages. The templates are ``noupdate``: the stages are
set here on those that have none yet (a user's choice is kept)."""

from odoo import SUPERUSER_ID, Command, api

STAGES = {
    "new": ("missing_info", "appointment_proposed", "photos_request"),
    "in_progress": ("technician_on_way", "parts_ordered", "delay"),
    "awaiting": ("no_answer", "quote_reminder", "client_unreachable"),
    "done": ("intervention_done", "closure", "invoice_sent"),
}


def migrate(cr, version):
    env = api.Environment(cr, SUPERUSER_ID, {})
    for stage_name, templates in STAGES.items():
        stage = env.ref(
            f"helpdesk_mgmt.helpdesk_ticket_stage_{stage_name}",
            raise_if_not_found=False,
        )
        if not stage:
            continue
        for name in templates:
            template = env.ref(
                f"atelier_helpdesk.mail_template_ticket_{name}",
                raise_if_not_found=False,
            )
            if template and not template.atelier_reply_stage_ids - stage:
                template.atelier_reply_stage_ids = [Command.link(stage.id)]
