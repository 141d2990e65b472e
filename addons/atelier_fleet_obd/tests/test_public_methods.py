# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Every public method of this addon, called over RPC by someone it is not
for: a portal client on another client's record, a coach, the bridge's user.
A new public method fails this test until it is listed here with its call."""

from datetime import datetime, timedelta, timezone

from odoo.exceptions import AccessError
from odoo.tests import TransactionCase, new_test_user, tagged

from .common import ObdDataMixin, iso, public_methods

ADDONS = ("atelier_fleet_obd",)


@tagged("post_install", "-at_install")
class TestPublicMethods(ObdDataMixin, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.setup_obd_data()
        cls.coach = new_test_user(
            cls.env, login="obd_pub_coach", groups="atelier_base.group_coach"
        )
        start = datetime.now(timezone.utc) - timedelta(minutes=10)
        answer = (
            cls.env["atelier.obd.session"]
            .with_user(cls.bridge_user)
            .ingest(
                cls.make_payload(
                    started_at=start,
                    readings=cls.rpm_readings(start, 5),
                    dtcs=[{"code": "P0301", "status": "stored", "ts": iso(start)}],
                )
            )
        )
        # client A's records; portal B, the coach and the bridge own none
        cls.session = cls.env["atelier.obd.session"].browse(answer["session_id"])
        cls.settings = cls.env["res.config.settings"].create({})
        cls.recover = cls.env["atelier.obd.session.recover"].create(
            {"session_id": cls.session.id}
        )

    def calls(self):
        """``(model, method) -> (record, args, allowed users)``."""
        payload = self.make_payload()
        return {
            ("atelier.obd.session", "ingest"): (
                self.env["atelier.obd.session"],
                (payload,),
                {self.bridge_user},  # its one entry point
            ),
            ("atelier.obd.session", "atelier_chart_data"): (self.session, (), ()),
            ("atelier.obd.session", "action_print_report"): (self.session, (), ()),
            ("atelier.obd.session", "action_atelier_recover"): (self.session, (), ()),
            ("fleet.vehicle", "action_atelier_open_sessions"): (self.vehicle_a, (), ()),
            ("fleet.vehicle", "action_atelier_open_dtcs"): (self.vehicle_a, (), ()),
            ("atelier.obd.session.recover", "action_recover"): (self.recover, (), ()),
            ("res.config.settings", "action_atelier_obd_create_bridge_user"): (
                self.settings,
                (),
                (),
            ),
            ("res.config.settings", "action_atelier_obd_new_bridge_key"): (
                self.settings,
                (),
                (),
            ),
            ("res.config.settings", "action_atelier_obd_revoke_old_keys"): (
                self.settings,
                (),
                (),
            ),
        }

    def test_every_public_method_is_listed(self):
        self.assertEqual(public_methods(self.env, ADDONS), set(self.calls()))

    def test_every_public_method_refuses_who_it_is_not_for(self):
        users = (self.portal_b, self.coach, self.bridge_user)
        for (model, method), (record, args, allowed) in self.calls().items():
            for user in users:
                if user in allowed:
                    continue
                with (
                    self.subTest(method=f"{model}.{method}", user=user.login),
                    self.assertRaises(AccessError),
                ):
                    getattr(record.with_user(user), method)(*args)
