# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Every public method of every Atelier model refuses callers without rights.

Any model method without a leading underscore can be called over RPC
(call_kw, JSON-2, XML-RPC) by any logged-in user. This test finds every such
method that an Atelier addon defines or overrides, on every model of the
registry (Atelier's own models and the Odoo models Atelier extends), and calls
it the way RPC does (``odoo.service.model.call_kw``) as a portal user and as
the OBD bridge's technical user, on a record of somebody else.

Each call must be refused unless ``ALLOWED`` says why it may run for that
kind of caller; even then it must not write to the database unless
``ALLOWED`` says it may. A refusal is an AccessError. Another error
(UserError, ValidationError, MissingError, a database error) counts as a
refusal only when the same call on the same record succeeds for an
administrator: then it depends on the caller. When it fails for the
administrator too, the probe never reached the method's body (its record is
in the wrong state, an argument is missing) and cannot tell whether the
method checks its caller: that fails the test until the probe is given a
record and arguments the method can act on (``PROBE_VALS``,
``PROBE_ARGS``, ``PROBE_STATES``).
A new public method that neither refuses nor is listed fails this test: check
its caller's rights before any ``sudo()``, make it private, or list it here
with the reason it is safe.
"""

import base64
import contextlib
import datetime
import inspect

from psycopg2 import Error as PgError

from odoo import Command, fields, models
from odoo.exceptions import AccessError, MissingError, UserError, ValidationError
from odoo.service.model import call_kw, get_public_method
from odoo.tests import TransactionCase, new_test_user, tagged
from odoo.tools import mute_logger

from odoo.addons.atelier_career.models.atelier_career_persona import CSV_COLUMNS

# errors that say nothing about the caller's rights by themselves
ERRORS = (MissingError, UserError, ValidationError)

# Public names of the ORM (BaseModel): their overrides keep the ORM's own
# access checks (create/write/unlink/read rights and record rules).
ORM_NAMES = {name for name in dir(models.BaseModel) if not name.startswith("_")}

_MAIL = {
    "message_id": "<probe@example.com>",
    "subject": "Probe",
    "from": "Probe <probe@example.com>",
    "email_from": "Probe <probe@example.com>",
    "to": "support@example.com",
    "body": "<p>Probe</p>",
    "attachments": [],
}

# Arguments for methods that need some: (model or "*", method) -> kwargs.
# The probe passes the record ids; a value may be a callable(test) -> value.
PROBE_ARGS = {
    ("atelier.obd.session", "ingest"): {"payload": {}},
    ("atelier.call", "atelier_choose_partner"): {"partner_id": lambda t: t.stranger.id},
    ("atelier.call", "atelier_log_note"): {"note": "Probe"},
    ("atelier.call", "atelier_log_outcome"): {
        "outcome": lambda t: t._selection("atelier.call", "outcome"),
    },
    ("atelier.call", "atelier_dial"): {"number": "+33612345678"},
    ("atelier.call", "atelier_call_template_preview"): {
        "template_id": lambda t: (
            t.env.ref("atelier_cti.mail_template_call_follow_up").id
        ),
    },
    ("atelier.call", "atelier_call_template_send"): {
        "template_id": lambda t: (
            t.env.ref("atelier_cti.mail_template_call_follow_up").id
        ),
    },
    ("atelier.call", "atelier_schedule_call_back"): {"when": "hour"},
    ("atelier.call", "atelier_undo_call_back"): {"activity_id": 0},
    ("atelier.call", "atelier_book_slot"): {
        "appointment_type_id": lambda t: t._record("atelier.appointment.type").id,
        "start": lambda t: fields.Datetime.to_string(
            fields.Datetime.now().replace(hour=9, minute=0, second=0)
            + datetime.timedelta(days=2)
        ),
    },
    ("helpdesk.ticket", "atelier_reply_template_render"): {
        "template_id": lambda t: (
            t.env["mail.template"]
            .search([("model", "=", "helpdesk.ticket")], limit=1)
            .id
        ),
    },
    ("atelier.career.session", "action_answer"): {"text": "Probe"},
    ("*", "rating_apply"): {"rate": 1},
    # Odoo's mail gateway entry point, overridden by atelier_desk
    ("*", "message_process"): {
        "model": None,
        "message": (
            b"From: Probe <probe@example.com>\r\nTo: support@example.com\r\n"
            b"Subject: Probe\r\nMessage-Id: <probe-gateway@example.com>\r\n\r\nProbe"
        ),
    },
    ("*", "message_new"): {"msg": _MAIL},
    ("*", "message_update"): {"msg": _MAIL},
}

# (model, method) -> {caller kind: reason} for the calls that may run.
# Caller kinds: "portal", "bridge". Add "+writes" to the reason's key
# (e.g. "bridge+writes") when the call may also write.
ALLOWED = {
    ("atelier.call", "atelier_pending_calls"): {
        "portal": "returns the calls ringing for the caller, searched with the "
        "caller's own rights: nothing for a user who cannot read calls",
        "bridge": "same: nothing for a user who cannot read calls",
    },
    ("res.config.settings", "get_values"): {
        "portal": "Odoo's own get_values answers any user; ours adds only "
        "whether Alex's chat is on the website, which every visitor sees",
        "bridge": "same: a public on/off flag",
    },
    ("atelier.obd.session", "ingest"): {
        "bridge": "the bridge's single entry point: it validates the payload "
        "and answers an error for an empty one",
    },
}

# (model, method) -> callable(test, record, user): puts the probe's record
# in a state the method can act on for the administrator's call, before any
# call (undone with it).
PROBE_STATES = {
    # a learner marks the slides of the courses they follow
    ("slide.slide", "action_mark_completed"): lambda t, slide, user: _join_course(
        t, slide, user
    ),
    ("slide.slide", "action_set_viewed"): lambda t, slide, user: _join_course(
        t, slide, user
    ),
}


def _join_course(test, slide, user):
    """A published lesson (not a quiz) of a course that the administrator
    follows (the others do not)."""
    slide.sudo().write({"is_published": True, "slide_category": "document"})
    if user == test.admin:
        slide.channel_id.sudo()._action_add_members(user.partner_id)


def _scenario_csv():
    """A valid CSV of interview scenarios (every column the import needs)."""
    lines = [",".join(CSV_COLUMNS)]
    for kind, text in (("question", "Probe?"), ("criterion", "Probe")):
        row = dict.fromkeys(CSV_COLUMNS, "")
        row.update(
            persona_code="probe",
            persona_name="Probe",
            kind=kind,
            text=text,
            descriptor="Probe",
            tier="pro",
            sequence="10",
        )
        lines.append(",".join(row[c] for c in CSV_COLUMNS))
    return base64.b64encode(("\n".join(lines) + "\n").encode())


# Values the generic record factory cannot guess: model -> {field: value or
# callable(test) -> value}.
PROBE_VALS = {
    "slide.slide": {"name": "Probe"},
    "crm.lead": {"name": "Probe"},
    "sale.order.line": {"name": "Probe"},
    "atelier.booking.wizard": {
        "appointment_type_id": lambda t: t._record("atelier.appointment.type").id,
    },
    "atelier.career.subscription": {
        "holder": "learner",
        "user_id": lambda t: t.env.ref("base.user_admin").id,
    },
    "atelier.career.webhook": {"url": "https://hooks.example.com/atelier"},
    "atelier.career.scenario.import": {
        "file": lambda t: _scenario_csv(),
        "filename": "scenarios.csv",
    },
    "atelier.dtc.import": {
        "data_file": base64.b64encode(b"code,title_en\nP0301,Cylinder 1 misfire\n"),
        "filename": "codes.csv",
    },
}


def _atelier_class(klass):
    return (getattr(klass, "__module__", "") or "").startswith("odoo.addons.atelier")


def atelier_public_methods(env):
    """{model name: {method name: defining module}} for every public method
    an Atelier addon defines or overrides, callable over RPC."""
    found = {}
    for model_name in sorted(env.registry):
        model = env[model_name]
        if model._abstract:
            continue  # no records; its methods show on the concrete models
        cls = type(model)
        methods = {}
        for klass in cls.__mro__:
            if not _atelier_class(klass):
                continue
            for name, value in vars(klass).items():
                if name.startswith("_") or name in ORM_NAMES or name in methods:
                    continue
                if isinstance(value, fields.Field) or not callable(value):
                    continue
                try:
                    get_public_method(model, name)
                except (AccessError, AttributeError):
                    continue  # @api.private or not a method
                methods[name] = klass.__module__
        if methods:
            found[model_name] = methods
    return found


@tagged("post_install", "-at_install")
class TestPublicMethods(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(
            context=dict(
                cls.env.context,
                tracking_disable=True,
                mail_create_nolog=True,
                mail_notrack=True,
                no_reset_password=True,
            )
        )
        cls.stranger = cls.env["res.partner"].create(
            {"name": "Probe Stranger", "email": "stranger@example.com"}
        )
        cls.callers = {
            "portal": new_test_user(
                cls.env, login="probe_portal", groups="base.group_portal"
            ),
        }
        bridge_group = cls.env.ref(
            "atelier_fleet_obd.group_obd_bridge", raise_if_not_found=False
        )
        if bridge_group:
            cls.callers["bridge"] = cls.env["res.users"].create(
                {
                    "name": "Probe bridge",
                    "login": "probe_bridge",
                    "group_ids": [Command.set(bridge_group.ids)],
                }
            )
        cls.admin = cls.env.ref("base.user_admin")
        cls.methods = atelier_public_methods(cls.env)
        cls._records = {}
        cls._admin_outcomes = {}

    # ------------------------------------------------------------------
    # A record of somebody else, for any model
    # ------------------------------------------------------------------
    def _record(self, model_name, depth=0):
        """The newest record of ``model_name``, or a new one of a stranger."""
        if model_name in self._records:
            return self._records[model_name]
        Model = self.env[model_name].sudo().with_context(active_test=False)
        record = Model.search([], limit=1, order="id desc")
        if not record:
            if depth > 4:
                raise ProbeSetupError(f"cannot build a {model_name}: too deep")
            vals = self._guess_vals(Model, depth)
            try:
                with self.env.cr.savepoint(), mute_logger("odoo.sql_db"):
                    record = Model.create(vals)
                    self.env.flush_all()
            except (PgError, AccessError, *ERRORS) as exc:
                raise ProbeSetupError(
                    f"cannot build a {model_name} from {vals}: {exc}; "
                    "add its values to PROBE_VALS"
                ) from exc
        self._records[model_name] = record
        return record

    def _guess_vals(self, Model, depth):
        vals = {
            key: value(self) if callable(value) else value
            for key, value in PROBE_VALS.get(Model._name, {}).items()
        }
        defaults = Model.default_get(list(Model._fields))
        for fname, field in Model._fields.items():
            if (
                fname in vals
                or fname in defaults
                or not field.required
                or not field.store
                or field.compute
                or field.related
                or fname in models.MAGIC_COLUMNS
            ):
                continue
            vals[fname] = self._guess_value(Model, field, depth)
        if "partner_id" in Model._fields and "partner_id" not in vals:
            if Model._fields["partner_id"].comodel_name == "res.partner":
                vals["partner_id"] = self.stranger.id
        return vals

    def _guess_value(self, Model, field, depth):
        ftype = field.type
        if ftype == "many2one":
            return self._record(field.comodel_name, depth + 1).id
        if ftype == "many2many":
            return [Command.link(self._record(field.comodel_name, depth + 1).id)]
        if ftype == "selection":
            return field._description_selection(self.env)[0][0]
        if ftype in ("char", "text"):
            return "Probe"
        if ftype == "html":
            return "<p>Probe</p>"
        if ftype in ("integer", "float", "monetary"):
            return 1
        if ftype == "boolean":
            return True
        if ftype == "date":
            return fields.Date.today()
        if ftype == "datetime":
            # an end after its start, on a working day two days ahead
            base = fields.Datetime.now().replace(hour=9, minute=0, second=0)
            base += datetime.timedelta(days=2)
            later = any(part in field.name for part in ("stop", "end", "until"))
            return base + datetime.timedelta(hours=2 if later else 1)
        raise ProbeSetupError(
            f"cannot guess {Model._name}.{field.name} ({ftype}): add it to PROBE_VALS"
        )

    # ------------------------------------------------------------------
    # One call, the RPC way
    # ------------------------------------------------------------------
    def _writes(self):
        self.env.cr.execute(
            "SELECT COALESCE(SUM(n_tup_ins + n_tup_upd + n_tup_del), 0)"
            " FROM pg_stat_xact_user_tables"
        )
        return self.env.cr.fetchone()[0]

    def _call(self, user, model_name, method_name, sudo=False):
        """'refused' (AccessError), 'failed' (another error), 'ran' or
        'wrote', and the detail."""
        model = self.env[model_name].with_user(user)
        if sudo:
            model = model.sudo()
        method = get_public_method(model, method_name)
        kwargs = self._probe_kwargs(model_name, method_name) or {}
        kwargs = {k: v(self) if callable(v) else v for k, v in kwargs.items()}
        if getattr(method, "_api_model", False):
            call_args, record = [], None
        else:
            record = self._record(model_name)
            call_args = [record.ids]
        prepare = PROBE_STATES.get((model_name, method_name))
        self.env.flush_all()
        self.env.invalidate_all()
        before = self._writes()
        outcome, detail = None, ""
        try:
            with (
                contextlib.suppress(_Rollback),
                self.env.cr.savepoint(),
                mute_logger("odoo.sql_db"),
            ):
                try:
                    if prepare:  # undone with the call
                        prepare(self, record, user)
                        self.env.flush_all()
                        before = self._writes()
                    call_kw(model, method_name, call_args, dict(kwargs))
                    self.env.flush_all()
                except AccessError as exc:
                    outcome, detail = "refused", type(exc).__name__
                except ERRORS as exc:
                    outcome, detail = "failed", f"{type(exc).__name__}: {exc}"
                else:
                    outcome = "wrote" if self._writes() != before else "ran"
                raise _Rollback()  # undo what the call did
        except PgError as exc:
            outcome, detail = "failed", f"database: {exc.pgerror or exc}"
        finally:
            self.env.invalidate_all()
        return outcome, detail

    def _admin_outcome(self, model_name, method_name):
        """The same call as an administrator (in superuser mode, so that no
        access right of hers is in the way): whether the method can act on
        the probe's record at all."""
        key = (model_name, method_name)
        if key not in self._admin_outcomes:
            self._admin_outcomes[key] = self._call(
                self.admin, model_name, method_name, sudo=True
            )
        return self._admin_outcomes[key]

    @staticmethod
    def _probe_kwargs(model_name, method_name):
        return PROBE_ARGS.get(
            (model_name, method_name), PROBE_ARGS.get(("*", method_name))
        )

    def _selection(self, model_name, fname):
        return (
            self.env[model_name]._fields[fname]._description_selection(self.env)[0][0]
        )

    def _needs_args(self, model_name, method_name):
        if self._probe_kwargs(model_name, method_name) is not None:
            return False
        func = getattr(type(self.env[model_name]), method_name)
        params = list(inspect.signature(func).parameters.values())[1:]
        return any(
            p.default is inspect.Parameter.empty
            and p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD, p.KEYWORD_ONLY)
            for p in params
        )

    # ------------------------------------------------------------------
    def test_public_methods_check_their_caller(self):
        self.assertTrue(
            self.methods, "no Atelier public method found: the probe is broken"
        )
        problems = []
        for model_name, methods in self.methods.items():
            for method_name, module in sorted(methods.items()):
                where = f"{model_name}.{method_name} ({module})"
                if self._needs_args(model_name, method_name):
                    problems.append(f"{where}: needs arguments: add it to PROBE_ARGS")
                    continue
                allowed = ALLOWED.get((model_name, method_name), {})
                try:
                    if not getattr(
                        getattr(type(self.env[model_name]), method_name),
                        "_api_model",
                        False,
                    ):
                        self._record(model_name)
                except ProbeSetupError as exc:
                    problems.append(f"{where}: {exc}")
                    continue
                for kind, user in self.callers.items():
                    try:
                        outcome, detail = self._call(user, model_name, method_name)
                    except Exception as exc:  # noqa: BLE001 - reported below
                        problems.append(
                            f"{where} as {kind}: raised {type(exc).__name__}: {exc}"
                        )
                        continue
                    if outcome == "refused":
                        continue
                    if outcome == "failed" and (
                        kind in allowed or f"{kind}+writes" in allowed
                    ):
                        continue  # it may run for this caller: it just failed
                    if outcome == "failed":
                        admin_outcome, admin_detail = self._admin_outcome(
                            model_name, method_name
                        )
                        if admin_outcome in ("ran", "wrote"):
                            continue  # the error depends on the caller: refused
                        problems.append(
                            f"{where} as {kind}: failed ({detail}) and fails for "
                            f"an administrator too ({admin_detail}): the probe "
                            "cannot tell whether it checks its caller; give it a "
                            "record and arguments the method can act on "
                            "(PROBE_VALS, PROBE_ARGS, PROBE_STATES)"
                        )
                        continue
                    if outcome == "ran" and (
                        kind in allowed or f"{kind}+writes" in allowed
                    ):
                        continue
                    if outcome == "wrote" and f"{kind}+writes" in allowed:
                        continue
                    problems.append(
                        f"{where} as {kind}: {outcome} on another's record "
                        "(check rights before sudo(), make it private, or list it "
                        "in ALLOWED with the reason it is safe)"
                    )
        self.assertFalse(problems, "\n" + "\n".join(problems))

    def test_probe_finds_known_methods(self):
        """The probe would be useless if it found nothing it should."""
        if "atelier.obd.session" in self.env:
            self.assertIn("ingest", self.methods.get("atelier.obd.session", {}))
        self.assertIn("atelier.call", self.methods)


class ProbeSetupError(Exception):
    """The probe could not build a record to call a method on."""


class _Rollback(Exception):
    """Leaves the savepoint, undoing what the probed call did."""
