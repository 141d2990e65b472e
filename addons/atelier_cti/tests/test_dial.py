# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import json
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer
from typing import ClassVar

from odoo.exceptions import UserError
from odoo.tests import TransactionCase, tagged

from .common import AtelierCtiCommon


class _FakePbx(BaseHTTPRequestHandler):
    """A PBX originate endpoint on the loopback (a real HTTP server)."""

    received: ClassVar[list] = []
    status = 200

    def do_POST(self):  # noqa: N802
        length = int(self.headers.get("Content-Length") or 0)
        type(self).received.append(json.loads(self.rfile.read(length)))
        self.send_response(type(self).status)
        self.end_headers()
        self.wfile.write(b"queued" if type(self).status < 400 else b"no route")

    def log_message(self, *args):
        pass


@tagged("post_install", "-at_install")
class TestDial(AtelierCtiCommon, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_cti()
        cls.server = HTTPServer(("127.0.0.1", 0), _FakePbx)
        cls.thread = threading.Thread(target=cls.server.serve_forever, daemon=True)
        cls.thread.start()
        cls.addClassCleanup(cls.server.server_close)
        cls.addClassCleanup(cls.server.shutdown)
        cls.pbx_url = f"http://127.0.0.1:{cls.server.server_port}/originate"

    def setUp(self):
        super().setUp()
        _FakePbx.received = []
        _FakePbx.status = 200

    def dial(self, number="06 12 34 56 78", partner=None):
        Call = self.env["atelier.call"].with_user(self.claire)
        return Call.atelier_dial(number, partner.id if partner else False)

    def test_tel_link_without_pbx(self):
        result = self.dial()
        self.assertEqual(result["status"], "tel")
        self.assertEqual(result["url"], "tel:+33612345678")
        call = self.env["atelier.call"].browse(result["call_id"])
        self.assertEqual(call.direction, "outbound")
        self.assertEqual(call.caller_number, "+33472000000")
        action = self.marie.with_user(self.claire).action_atelier_dial()
        self.assertEqual(
            action,
            {"type": "ir.actions.act_url", "url": "tel:+33612345678", "target": "self"},
        )

    def test_originate_through_pbx(self):
        self.line.originate_url = self.pbx_url
        self.claire.atelier_cti_extension = "201"
        result = self.dial(partner=self.garage, number="04 78 12 34 56")
        self.assertEqual(result["status"], "originated", result)
        call = self.env["atelier.call"].browse(result["call_id"])
        self.assertEqual(call.partner_id, self.garage)
        self.assertEqual(len(_FakePbx.received), 1)
        sent = _FakePbx.received[0]
        self.assertEqual(sent["to"], "+33478123456")
        self.assertEqual(sent["extension"], "201")
        self.assertEqual(sent["call_id"], call.provider_call_id)
        action = self.garage.with_user(self.claire).action_atelier_dial()
        self.assertEqual(action["params"]["type"], "success")

    def test_pbx_refuses(self):
        self.line.originate_url = self.pbx_url
        _FakePbx.status = 503
        result = self.dial()
        self.assertEqual(result["status"], "error")
        self.assertIn("HTTP 503", result["message"])
        self.assertIn("no route", result["message"])
        call = self.env["atelier.call"].browse(result["call_id"])
        self.assertEqual(call.state, "ended")
        action = self.marie.with_user(self.claire).action_atelier_dial()
        self.assertEqual(action["params"]["type"], "danger")
        self.assertTrue(action["params"]["sticky"])

    def test_pbx_unreachable(self):
        port = self.server.server_port
        self.line.originate_url = (
            f"http://127.0.0.1:{port + 1 if port < 65535 else 1}/x"
        )
        result = self.dial()
        self.assertEqual(result["status"], "error")
        self.assertIn("could not be reached", result["message"])

    def test_bad_number_and_no_number(self):
        with self.assertRaises(UserError):
            self.dial("call me")
        nobody = self.env["res.partner"].create({"name": "No Phone"})
        with self.assertRaises(UserError):
            nobody.with_user(self.claire).action_atelier_dial()

    def test_no_line(self):
        self.line.active = False
        with self.assertRaises(UserError):
            self.dial()
