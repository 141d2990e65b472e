# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import importlib
import inspect
import pkgutil

from odoo import Command, models
from odoo.tests import new_test_user

from .dns_server import LocalDnsServer

MX_TABLE = {
    "example.com": ["mx.example.com"],
    "example.fr": ["mx1.example.fr", "mx2.example.fr"],
    "atelier.example.com": ["mx.atelier.example.com"],
    "nullmx.example": ["."],
    "nomail.example": [],
}


def public_method_names(packages, orm):
    """Names of the public methods (no leading underscore) that the model
    classes of ``packages`` (an addon's ``models``, ``wizards``) define,
    the ORM overrides ``orm`` excepted: each is callable over RPC by any
    logged-in user, so each must be reviewed."""
    found = set()
    for package in packages:
        for info in pkgutil.iter_modules(package.__path__):
            module = importlib.import_module(f"{package.__name__}.{info.name}")
            for _name, cls in inspect.getmembers(module, inspect.isclass):
                if (
                    not issubclass(cls, models.BaseModel)
                    or cls.__module__ != module.__name__
                ):
                    continue
                found |= {
                    name
                    for name, value in vars(cls).items()
                    if callable(value) and not name.startswith("_") and name not in orm
                }
    return found


def start_dns(case):
    """Start the local DNS server for a test class and point the forms'
    resolver at it."""
    server = LocalDnsServer(MX_TABLE).start()
    case.addClassCleanup(server.stop)
    params = case.env["ir.config_parameter"].sudo()
    params.set_param("atelier_crm.mx_check", "True")
    params.set_param("atelier_crm.dns_server", server.address)
    params.set_param("atelier_crm.dns_timeout", "0.5")
    return server


class AtelierCrmCommon:
    """Users per role, the two pipelines, helpers; no demo data."""

    @classmethod
    def _setup_crm(cls, prefix="crm"):
        env = cls.env
        cls.env = env = env(context=dict(env.context, tracking_disable=True))
        cls.fr = env.ref("base.fr")
        env.company.country_id = cls.fr
        cls.team = env.ref("atelier_crm.crm_team_individuals")
        cls.team_b2b = env.ref("atelier_crm.crm_team_partners")
        cls.sales1 = new_test_user(
            env,
            login=f"{prefix}_sales1",
            name="Salomé Vendeuse",
            groups="sales_team.group_sale_salesman",
            email=f"{prefix}.sales1@example.com",
            tz="Europe/Paris",
        )
        cls.sales2 = new_test_user(
            env,
            login=f"{prefix}_sales2",
            name="Bruno Vendeur",
            groups="sales_team.group_sale_salesman",
            email=f"{prefix}.sales2@example.com",
            tz="Europe/Paris",
        )
        cls.sales_b2b = new_test_user(
            env,
            login=f"{prefix}_b2b",
            name="Hélène Partenariats",
            groups="sales_team.group_sale_salesman",
            email=f"{prefix}.b2b@example.com",
            tz="Europe/Paris",
        )
        cls.manager = new_test_user(
            env,
            login=f"{prefix}_manager",
            name="Marc Directeur",
            groups="sales_team.group_sale_manager",
            email=f"{prefix}.manager@example.com",
            tz="Europe/Paris",
        )
        cls.portal = new_test_user(
            env,
            login=f"{prefix}_portal",
            name="Paula Portail",
            groups="base.group_portal",
            email=f"{prefix}.portal@example.com",
        )
        env["crm.team.member"].create(
            [
                {"crm_team_id": cls.team.id, "user_id": cls.sales1.id},
                {"crm_team_id": cls.team.id, "user_id": cls.sales2.id},
                {"crm_team_id": cls.team_b2b.id, "user_id": cls.sales_b2b.id},
            ]
        )
        cls.Lead = env["crm.lead"]
        cls.Consent = env["atelier.crm.consent"]
        cls.sequence = env.ref("atelier_crm.sequence_academy")
        cls.steps = cls.sequence.step_ids.sorted("day_offset")

    @classmethod
    def _lead(cls, name, email, consent=True, **vals):
        lead = cls.Lead.create(
            dict(
                name=f"Lead {name}",
                contact_name=name,
                email_from=email,
                **{"team_id": cls.team.id, "user_id": False, **vals},
            )
        )
        if consent:
            cls.Consent._atelier_log([email], "sequence", "granted", "backoffice")
        return lead

    @classmethod
    def _link(cls, records):
        return [Command.link(record.id) for record in records]
