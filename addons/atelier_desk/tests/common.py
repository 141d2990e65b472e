# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import secrets
from contextlib import contextmanager
from datetime import timedelta
from unittest.mock import patch

from freezegun import freeze_time

from odoo import fields
from odoo.tests import TransactionCase, new_test_user

from .mail_servers import DovecotServer, SmtpSink

DOMAIN = "atelier.test"
# the mailboxes of atelier_helpdesk's team aliases
MAILBOXES = ("support", "atelier", "formation", "interventions")


def crm_salesperson(env, user):
    """With the CRM's booking glue installed, a new client's first booking
    becomes a lead for the next salesperson of its team: make ``user`` that
    salesperson, as in the demo (Claire works the individuals' pipeline)."""
    if "crm.team" not in env or "atelier_pipeline" not in env["crm.team"]._fields:
        return
    teams = env["crm.team"].search([("atelier_pipeline", "!=", False)])
    env["crm.team.member"].create(
        [{"crm_team_id": team.id, "user_id": user.id} for team in teams]
    )


class DeskCase(TransactionCase):
    """Users per role, the helpdesk teams, a telephony line and clients,
    built by the tests themselves (no demo data)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env
        env.company.country_id = env.ref("base.fr")
        ref = env.ref
        cls.team_desk = ref("atelier_helpdesk.helpdesk_team_desk")
        cls.team_workshop = ref("atelier_helpdesk.helpdesk_team_workshop")
        cls.team_academy = ref("atelier_helpdesk.helpdesk_team_academy")
        cls.team_interventions = ref("atelier_helpdesk.helpdesk_team_interventions")
        cls.stage_done = ref("helpdesk_mgmt.helpdesk_ticket_stage_done")
        cls.claire = new_test_user(
            env,
            login="desk_claire",
            name="Claire Moreau",
            email="claire@atelier.test",
            groups="atelier_base.group_assistant",
            tz="Europe/Paris",
        )
        cls.manager = new_test_user(
            env,
            login="desk_manager",
            name="Marc Manager",
            email="marc@atelier.test",
            groups="atelier_base.group_manager",
            tz="Europe/Paris",
        )
        cls.gaetan = new_test_user(
            env,
            login="desk_gaetan",
            name="Gaëtan Lefèvre",
            email="gaetan@atelier.test",
            groups="atelier_base.group_technician",
            tz="Europe/Paris",
        )
        cls.portal = new_test_user(
            env,
            login="desk_portal",
            name="Martine Client",
            email="martine@client.example.com",
            groups="base.group_portal",
        )
        crm_salesperson(env, cls.claire)
        cls.line = env["atelier.cti.line"].create(
            {
                "name": "Standard",
                "code": "desk-standard",
                "provider": "asterisk",
                "secret": secrets.token_hex(16),
                "numbers": "+33 4 72 00 00 00",
                "owner_id": cls.claire.id,
                "user_ids": [(6, 0, cls.claire.ids)],
            }
        )
        Partner = env["res.partner"]
        cls.garage = Partner.create(
            {
                "name": "Garage Durand",
                "is_company": True,
                "email": "contact@garage-durand.fr",
                "phone": "04 78 12 34 56",
            }
        )
        cls.paul = Partner.create(
            {
                "name": "Paul Durand",
                "email": "paul@durand.fr",
                "parent_id": cls.garage.id,
                "lang": "en_US",
            }
        )
        cls.lucie = Partner.create(
            {
                "name": "Lucie Durand",
                "email": "lucie@durand.fr",
                "parent_id": cls.garage.id,
                "mobile": "06 11 22 33 44",
            }
        )

    @contextmanager
    def at(self, when):
        """Time frozen at ``when``, for Python and for the records' create
        and write dates (the transaction's ``now``)."""
        with freeze_time(when), patch.object(self.env.cr, "now", lambda: when):
            yield

    # ------------------------------------------------------------------
    # Records the desk meets
    # ------------------------------------------------------------------
    def _call(self, state="ended", partner=None, number="+33611223344", **vals):
        """A call as the telephony webhook leaves it (``state`` ended:
        answered then hung up; missed: never answered)."""
        start = vals.pop("start_at", fields.Datetime.now() - timedelta(minutes=10))
        values = {
            "line_id": self.line.id,
            "provider": "asterisk",
            "provider_call_id": secrets.token_hex(8),
            "direction": "inbound",
            "caller_number": number,
            "callee_number": "+33472000000",
            "partner_id": partner.id if partner else False,
            "start_at": start,
            "state": state,
        }
        if state in ("ended", "answered"):
            values["answer_at"] = start + timedelta(seconds=5)
            values["user_id"] = self.claire.id
        if state in ("ended", "missed"):
            values["end_at"] = start + timedelta(minutes=3)
        values.update(vals)
        # the webhook inserts calls in SQL: no tracking, no assignment e-mail
        call = (
            self.env["atelier.call"]
            .with_context(tracking_disable=True, mail_notrack=True)
            .create(values)
        )
        if state == "missed":
            call._atelier_schedule_callback()
        return call

    def _ticket(self, partner=None, **vals):
        values = {
            "name": "Disjoncteur qui saute",
            "description": "<p>Le disjoncteur saute depuis ce matin.</p>",
            "partner_id": (partner or self.paul).id,
            "team_id": self.team_desk.id,
            "user_id": self.claire.id,
        }
        values.update(vals)
        return self.env["helpdesk.ticket"].create(values)


class MailServersMixin:
    """A Dovecot server (one mailbox per team alias) and an SMTP sink for
    the class; Odoo's incoming servers read the mailboxes, its outgoing
    server writes to the sink."""

    @classmethod
    def _start_mail_servers(cls, imap=True):
        env = cls.env
        password = secrets.token_hex(8)
        cls.smtp = SmtpSink().start()
        cls.addClassCleanup(cls.smtp.stop)
        alias_domain = env["mail.alias.domain"].search([("name", "=", DOMAIN)])
        alias_domain = alias_domain or env["mail.alias.domain"].create({"name": DOMAIN})
        env.company.write(
            {"alias_domain_id": alias_domain.id, "email": f"contact@{DOMAIN}"}
        )
        teams = env["helpdesk.ticket.team"].search([("alias_name", "!=", False)])
        teams.alias_id.write({"alias_domain_id": alias_domain.id})
        cls.alias_domain = alias_domain
        # Odoo's outgoing server: the sink, no TLS on loopback
        env["ir.mail_server"].search([]).write({"active": False})
        cls.mail_server = env["ir.mail_server"].create(
            {
                "name": "SMTP sink",
                "smtp_host": "127.0.0.1",
                "smtp_port": cls.smtp.port,
                "smtp_encryption": "none",
                "smtp_authentication": "login",
            }
        )
        cls.fetchmail = {}
        if not imap:
            return
        cls.dovecot = DovecotServer(
            {f"{name}@{DOMAIN}": password for name in MAILBOXES}
        ).start()
        cls.addClassCleanup(cls.dovecot.stop)
        for name in MAILBOXES:
            server = env["fetchmail.server"].create(
                {
                    "name": f"{name}@{DOMAIN}",
                    "server_type": "imap",
                    "server": "127.0.0.1",
                    "port": cls.dovecot.port,
                    "is_ssl": False,
                    "user": f"{name}@{DOMAIN}",
                    "password": password,
                    "attach": True,
                }
            )
            # a real IMAP login: the server is confirmed only if it answers
            server.button_confirm_login()
            cls.fetchmail[name] = server

    def deliver(self, mailbox, raw):
        self.dovecot.deliver(f"{mailbox}@{DOMAIN}", raw)

    def fetch(self, *mailboxes):
        """Run Odoo's incoming mail servers on ``mailboxes`` (all by default)
        as its scheduled job does: a cursor per message, committed one by
        one (here: savepoints of the test transaction)."""
        servers = [self.fetchmail[name] for name in mailboxes or MAILBOXES]
        with self.enter_registry_test_mode():
            for server in servers:
                with self.registry.cursor() as cr:
                    server.with_env(server.env(cr=cr))._fetch_mail()
