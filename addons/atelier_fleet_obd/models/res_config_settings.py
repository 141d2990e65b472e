# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import timedelta

from odoo import Command, api, fields, models
from odoo.exceptions import AccessError
from odoo.tools import SQL

BRIDGE_USER_PARAM = "atelier_fleet_obd.bridge_user_id"
KEY_DAYS = 365  # the bridge group allows up to 366 (Odoo 19: a non-admin's key expires)


class ResConfigSettings(models.TransientModel):
    """Settings > Atelier > OBD bridge: its technical user, its API keys (issued
    and shown once, rotated), the endpoint and a ready-to-paste configuration,
    and when it last delivered."""

    _inherit = "res.config.settings"

    atelier_obd_bridge_user_id = fields.Many2one(
        "res.users",
        string="Bridge user",
        compute="_compute_atelier_obd_bridge",
        help="The technical user the bridge logs in as: only the 'OBD bridge' "
        "group, it can send diagnostic batches and do nothing else.",
    )
    atelier_obd_bridge_key_count = fields.Integer(
        "Active keys", compute="_compute_atelier_obd_bridge"
    )
    atelier_obd_bridge_key_expiry = fields.Datetime(
        "Newest key expires on", compute="_compute_atelier_obd_bridge"
    )
    atelier_obd_last_ingest = fields.Datetime(
        "Last delivery", compute="_compute_atelier_obd_bridge"
    )
    atelier_obd_bridge_endpoint = fields.Char(
        "Endpoint", compute="_compute_atelier_obd_bridge"
    )
    atelier_obd_bridge_config = fields.Text(
        "Bridge configuration", compute="_compute_atelier_obd_bridge"
    )

    def _compute_atelier_obd_bridge(self):
        bridge = self.env["res.users"]._atelier_obd_bridge_user()
        keys = self._atelier_obd_bridge_keys(bridge)
        expiries = [key.expiration_date for key in keys if key.expiration_date]
        self.env["atelier.obd.batch"].flush_model()
        self.env.cr.execute(
            SQL("SELECT create_date FROM atelier_obd_batch ORDER BY id DESC LIMIT 1")
        )
        row = self.env.cr.fetchone()
        for settings in self:
            settings.atelier_obd_bridge_user_id = bridge
            settings.atelier_obd_bridge_key_count = len(keys)
            settings.atelier_obd_bridge_key_expiry = max(expiries, default=False)
            settings.atelier_obd_last_ingest = row[0] if row else False
            settings.atelier_obd_bridge_endpoint = self._atelier_obd_endpoint()
            settings.atelier_obd_bridge_config = self._atelier_obd_bridge_config(
                bridge, None
            )

    # ------------------------------------------------------------------
    # Actions (administrators only)
    # ------------------------------------------------------------------
    def action_atelier_obd_create_bridge_user(self):
        self._atelier_obd_check_admin()
        Users = self.env["res.users"]
        bridge = Users._atelier_obd_bridge_user()
        if not bridge:
            login = "obd-bridge"
            taken = set(
                Users.with_context(active_test=False)
                .search([("login", "=like", "obd-bridge%")])
                .mapped("login")
            )
            number = 2
            while login in taken:
                login = f"obd-bridge-{number}"
                number += 1
            bridge = Users.with_context(no_reset_password=True).create(
                {
                    "name": self.env._("OBD bridge"),
                    "login": login,
                    "group_ids": [
                        Command.set(
                            [self.env.ref("atelier_fleet_obd.group_obd_bridge").id]
                        )
                    ],
                }
            )
        self.env["ir.config_parameter"].sudo().set_param(BRIDGE_USER_PARAM, bridge.id)
        return {"type": "ir.actions.client", "tag": "reload"}

    def action_atelier_obd_new_bridge_key(self):
        """Issue a new API key for the bridge and show it once, in a
        ready-to-paste configuration. The older keys stay valid until they are
        revoked: the bridge keeps delivering while its configuration changes."""
        self._atelier_obd_check_admin()
        bridge = self.env["res.users"]._atelier_obd_bridge_user()
        if not bridge:
            self.action_atelier_obd_create_bridge_user()
            bridge = self.env["res.users"]._atelier_obd_bridge_user()
        expiration = fields.Datetime.now() + timedelta(days=KEY_DAYS)
        name = self.env._(
            "OBD bridge, issued on %(date)s",
            date=fields.Date.to_string(fields.Date.context_today(self)),
        )
        key = (
            self.env["res.users.apikeys"]
            .with_user(bridge)
            ._generate("rpc", name, expiration)
        )
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("The bridge's new API key"),
            "res_model": "atelier.obd.bridge.key",
            "views": [(False, "form")],
            "target": "new",
            # shown once: the key is in this answer only, never stored readable
            "context": {
                "default_key": key,
                "default_expiration_date": fields.Datetime.to_string(expiration),
                "default_bridge_config": self._atelier_obd_bridge_config(bridge, key),
            },
        }

    def action_atelier_obd_revoke_old_keys(self):
        """Keep only the newest key of the bridge (the last step of a rotation)."""
        self._atelier_obd_check_admin()
        bridge = self.env["res.users"]._atelier_obd_bridge_user()
        keys = self._atelier_obd_bridge_keys(bridge)
        old = keys[1:]
        old._remove()
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "success",
                "message": self.env._(
                    "%(count)s older key(s) revoked; the newest one stays valid.",
                    count=len(old),
                ),
                "next": {"type": "ir.actions.client", "tag": "reload"},
            },
        }

    # ------------------------------------------------------------------
    # Helpers
    # ------------------------------------------------------------------
    def _atelier_obd_check_admin(self):
        if not self.env.user.has_group("base.group_system"):
            raise AccessError(
                self.env._("Only an administrator can set up the OBD bridge.")
            )

    @api.model
    def _atelier_obd_bridge_keys(self, bridge):
        """The bridge's keys still valid, newest first."""
        if not bridge:
            return self.env["res.users.apikeys"]
        return (
            self.env["res.users.apikeys"]
            .sudo()
            .search(
                [
                    ("user_id", "=", bridge.id),
                    "|",
                    ("expiration_date", "=", False),
                    ("expiration_date", ">", fields.Datetime.now()),
                ],
                order="id desc",
            )
        )

    @api.model
    def _atelier_obd_endpoint(self):
        base = self.env["ir.config_parameter"].sudo().get_param("web.base.url") or ""
        return f"{base.rstrip('/')}/json/2/atelier.obd.session/ingest"

    @api.model
    def _atelier_obd_bridge_config(self, bridge, key):
        base = self.env["ir.config_parameter"].sudo().get_param("web.base.url") or ""
        key_text = key or self.env._("<the key, shown once when issued>")
        return "\n".join(
            [
                "[odoo]",
                f'url = "{base.rstrip("/")}"',
                f'db = "{self.env.cr.dbname}"',
                f'login = "{bridge.login or "obd-bridge"}"',
                f'api_key = "{key_text}"',
                'transport = "json2"',
                "",
                "[bridge]",
                'id = "garage-1"',
                'outbox = "/var/lib/obd-bridge/outbox.sqlite3"',
                "",
            ]
        )
