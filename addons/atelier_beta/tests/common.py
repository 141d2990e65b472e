# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import itertools

from odoo import fields
from odoo.tests import new_test_user

_COUNTER = itertools.count(1)


class AtelierBetaCommon:
    """Users per role and helpers building sign-ups; no demo data.

    ``_signup`` goes the real way: the public form's model method, then the
    CRM's double opt-in confirmed with the token of its e-mail link.
    ``_waiting`` writes queue rows directly (for the draw's many people).
    """

    @classmethod
    def _setup_beta(cls, prefix="beta"):
        env = cls.env
        cls.env = env = env(context=dict(env.context, tracking_disable=True))
        env.company.country_id = env.ref("base.fr")
        env.company.email = "beta@atelier.example.com"
        params = env["ir.config_parameter"].sudo()
        params.set_param("atelier_crm.mx_check", "False")
        params.set_param("atelier_crm.form_hourly_limit", "1000")
        cls.prefix = prefix
        cls.manager = new_test_user(
            env,
            login=f"{prefix}_manager",
            name="Bérénice Bêta",
            groups="atelier_beta.group_beta_manager",
            email=f"{prefix}.manager@example.com",
            tz="Europe/Paris",
        )
        cls.team = new_test_user(
            env,
            login=f"{prefix}_team",
            name="Théo Triage",
            groups="atelier_beta.group_beta_user",
            email=f"{prefix}.team@example.com",
        )
        cls.employee = new_test_user(
            env,
            login=f"{prefix}_employee",
            name="Eva Employée",
            groups="base.group_user",
        )
        params.set_param("atelier_beta.manager_user_id", str(cls.manager.id))
        cls.Signup = env["atelier.beta.signup"]
        cls.Referral = env["atelier.beta.referral"]
        cls.Batch = env["atelier.beta.batch"]
        cls.Invitation = env["atelier.beta.invitation"]
        cls.Feedback = env["atelier.beta.feedback"]

    @classmethod
    def _data(cls, name, email, **kw):
        data = {
            "name": name,
            "email": email,
            "phone": "",
            "vehicle_make": "Renault",
            "fuel_type": "diesel",
            "vehicle_year": 2016,
            "region": "ara",
            "profile": "pragmatic",
            "referrer": cls.Signup.browse(),
            "source": False,
            "purposes": [],
            "texts": {},
        }
        data.update(kw)
        return data

    @classmethod
    def _register(cls, name, email, ip="203.0.113.1", device=None, **kw):
        """The form's path; returns ``(status, signup)``."""
        return cls.Signup.sudo()._atelier_register(
            cls._data(name, email, **kw), client_ip=ip, device_id=device
        )

    @classmethod
    def _confirm(cls, signup, ip="203.0.113.1"):
        """Confirm through the opt-in token, as the e-mail link does."""
        optin = signup.sudo().optin_id
        token = optin._atelier_token()
        _optin, status = (
            cls.env["atelier.crm.optin"].sudo()._atelier_confirm(token, ip=ip)
        )
        return status

    @classmethod
    def _signup(cls, name, email=None, confirm=True, **kw):
        email = (
            email or f"{name.lower().replace(' ', '.')}.{next(_COUNTER)}@example.com"
        )
        _status, signup = cls._register(name, email, **kw)
        if confirm:
            cls._confirm(signup, ip=kw.get("ip", "203.0.113.1"))
        return signup

    @classmethod
    def _waiting(cls, specs):
        """Waiting rows straight in the queue, in order: ``specs`` is a list
        of ``(fuel_type, region, profile)`` or dicts."""
        Sequence = cls.env["ir.sequence"].sudo()
        vals_list = []
        for spec in specs:
            if isinstance(spec, tuple):
                spec = dict(zip(("fuel_type", "region", "profile"), spec, strict=True))
            n = next(_COUNTER)
            vals_list.append(
                {
                    "name": spec.get("name", f"Testeur {n}"),
                    "email": f"testeur{n}@example.com",
                    "email_key": f"testeur{n}@example.com",
                    "state": "waiting",
                    "confirmed_at": fields.Datetime.now(),
                    "queue_number": int(Sequence.next_by_code("atelier.beta.queue")),
                    "fuel_type": spec["fuel_type"],
                    "region": spec["region"],
                    "profile": spec["profile"],
                    "referral_credits": spec.get("referral_credits", 0),
                }
            )
        signups = cls.Signup.sudo().create(vals_list)
        cls.Signup.sudo()._atelier_rerank(signups.ids)
        return signups

    @classmethod
    def _tester(cls, signup, activated=True, password="beta-pass-123"):
        """Invite ``signup`` in a batch of one and accept the invitation; with
        ``activated`` record a first use now."""
        batch = cls.Batch.sudo().create({"name": f"Lot {signup.id}", "size": 1})
        cls.Invitation.sudo().create(
            {"signup_id": signup.id, "batch_id": batch.id, "state": "draft"}
        )
        batch.action_send()
        invitation = signup.invitation_ids.filtered(lambda inv: inv.state == "sent")
        _inv, status, _login = cls.Invitation.sudo()._atelier_accept(
            invitation._atelier_token(), password=password
        )
        assert status == "accepted", status
        if activated:
            cls.Signup._atelier_record_use(signup.partner_id, fields.Datetime.now())
        return signup
