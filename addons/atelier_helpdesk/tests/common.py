# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import datetime

import pytz

from odoo import Command
from odoo.tests import new_test_user

from odoo.addons.mail.tests.common import MailCommon

PARIS = pytz.timezone("Europe/Paris")

EMAIL_TEMPLATE = """Return-Path: {return_path}
To: {to}
cc: {cc}
Received: by mail1.example.com (Postfix, from userid 10002)
    id 5DF9ABFB2A; Fri, 10 Aug 2012 16:16:39 +0200 (CEST)
From: {email_from}
Subject: {subject}
MIME-Version: 1.0
Content-Type: text/plain; charset="utf-8"
Content-Transfer-Encoding: 8bit
Date: {date}
Message-ID: {msg_id}
{extra}
Bonjour, le disjoncteur de l'atelier saute depuis ce matin.
Pouvez-vous passer ?
"""


def new_portal_user(env, login, name, company=None):
    """A portal client (HttpCase.authenticate takes any password in tests)."""
    user = new_test_user(
        env,
        login=login,
        name=name,
        email=f"{login}@client.example.com",
        groups="base.group_portal",
    )
    if company:
        user.partner_id.parent_id = company
    return user


def public_methods(env, addon):
    """``{(model, method)}``: the methods an addon defines that any logged-in
    user may call over RPC (no leading underscore, not ``@api.private``)."""
    found = set()
    prefix = f"odoo.addons.{addon}."
    for model_name in env.registry:
        for cls in type(env[model_name]).__mro__:
            if not getattr(cls, "__module__", "").startswith(prefix):
                continue
            for name, value in vars(cls).items():
                if (
                    not name.startswith("_")
                    and callable(value)
                    and not getattr(value, "_api_private", False)
                ):
                    found.add((model_name, name))
    return found


def outsiders(env, prefix):
    """Users who own nothing of the desk: a portal client, a coach of the
    academy and, when diagnostics are installed, the OBD bridge's user."""
    users = {
        "portal": new_portal_user(env, f"{prefix}_portal", "Client Tiers"),
        "coach": new_test_user(
            env,
            login=f"{prefix}_coach",
            name="Coach Académie",
            groups="atelier_base.group_coach",
        ),
    }
    bridge_group = env.ref(
        "atelier_fleet_obd.group_obd_bridge", raise_if_not_found=False
    )
    if bridge_group:
        users["bridge"] = env["res.users"].create(
            {
                "name": "OBD bridge",
                "login": f"{prefix}_bridge",
                "group_ids": [Command.set(bridge_group.ids)],
            }
        )
    return users


def paris(*args):
    """Naive UTC datetime of a wall-clock time in Paris."""
    return PARIS.localize(datetime(*args)).astimezone(pytz.utc).replace(tzinfo=None)


class AtelierHelpdeskCommon(MailCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=False))
        ref = cls.env.ref
        cls.calendar = ref("atelier_helpdesk.resource_calendar_atelier_desk")
        cls.team_desk = ref("atelier_helpdesk.helpdesk_team_desk")
        cls.team_interventions = ref("atelier_helpdesk.helpdesk_team_interventions")
        cls.type_after_sales = ref("atelier_helpdesk.helpdesk_type_after_sales")
        cls.type_electrical = ref("atelier_helpdesk.helpdesk_type_electrical")
        cls.stage_new = ref("helpdesk_mgmt.helpdesk_ticket_stage_new")
        cls.stage_progress = ref("helpdesk_mgmt.helpdesk_ticket_stage_in_progress")
        cls.stage_done = ref("helpdesk_mgmt.helpdesk_ticket_stage_done")
        cls.stage_cancelled = ref("helpdesk_mgmt.helpdesk_ticket_stage_cancelled")
        # aliases were created before the test alias domain existed
        (cls.team_desk | cls.team_interventions).alias_id.write(
            {"alias_domain_id": cls.mail_alias_domain.id}
        )
        cls.user_claire = new_test_user(
            cls.env,
            login="claire_hd",
            name="Claire Assistant",
            email="claire@atelier.example.com",
            groups="atelier_base.group_assistant",
        )
        cls.user_manager = new_test_user(
            cls.env,
            login="manager_hd",
            name="Marc Manager",
            email="marc@atelier.example.com",
            groups="atelier_base.group_manager",
        )
        (cls.team_desk | cls.team_interventions).write(
            {
                "user_id": cls.user_manager.id,
                "user_ids": [(4, cls.user_claire.id), (4, cls.user_manager.id)],
            }
        )
        cls.client_company = cls.env["res.partner"].create(
            {"name": "Garage Durand", "is_company": True, "email": "garage@durand.fr"}
        )
        cls.client = cls.env["res.partner"].create(
            {
                "name": "Paul Durand",
                "email": "paul@durand.fr",
                "parent_id": cls.client_company.id,
                "lang": "en_US",
            }
        )

    def _new_ticket(self, **vals):
        values = {
            "name": "Panne de courant",
            "description": "<p>Plus de courant dans l'atelier.</p>",
            "partner_id": self.client.id,
            "type_id": self.type_after_sales.id,
            "user_id": False,
        }
        values.update(vals)
        return self.env["helpdesk.ticket"].create(values)

    def _reply_as(self, ticket, user, body="Nous arrivons.", **kwargs):
        kwargs.setdefault("message_type", "comment")
        kwargs.setdefault("subtype_xmlid", "mail.mt_comment")
        return ticket.with_user(user).message_post(body=body, **kwargs)

    def _lines(self, ticket, kind):
        return ticket.ticket_sla_ids.filtered(lambda r: r.atelier_kind == kind)
