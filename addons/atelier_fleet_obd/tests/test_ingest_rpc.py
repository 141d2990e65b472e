# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import copy
import json
import xmlrpc.client
from datetime import datetime, timedelta, timezone

from odoo.tests import HttpCase, get_db_name, tagged
from odoo.tools import mute_logger

from .common import ObdDataMixin, iso


@tagged("post_install", "-at_install")
class TestIngestRpc(ObdDataMixin, HttpCase):
    """The bridge's two transports, over a real HTTP server."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.setup_obd_data()
        cls.api_key = (
            cls.env["res.users.apikeys"]
            .with_user(cls.bridge_user)
            ._generate(None, "obd bridge", datetime.now() + timedelta(days=300))
        )
        cls.db = get_db_name()
        cls.admin_group = cls.env.ref("base.group_system").id

    def setUp(self):
        super().setUp()
        # /xmlrpc/2 logs a deprecation WARNING per call (Odoo 19): tested on purpose
        muted = mute_logger("odoo.addons.rpc.controllers.xmlrpc")
        muted.__enter__()  # noqa: PLC2801
        self.addCleanup(muted.__exit__, None, None, None)
        self.start = datetime.now(timezone.utc) - timedelta(minutes=5)

    def payload(self, count=50):
        return self.make_payload(
            started_at=self.start,
            readings=self.rpm_readings(self.start + timedelta(seconds=1), count),
            dtcs=[{"code": "P0300", "status": "stored", "ts": iso(self.start)}],
        )

    def json2(self, model, method, body, key=None):
        return self.url_open(
            f"/json/2/{model}/{method}",
            data=json.dumps(body),
            headers={
                "Authorization": f"bearer {key or self.api_key}",
                "X-Odoo-Database": self.db,
                "Content-Type": "application/json",
            },
        )

    def test_xmlrpc_ingest_and_duplicate(self):
        uid = self.xmlrpc_common.authenticate(self.db, "obd_bridge", self.api_key, {})
        self.assertEqual(uid, self.bridge_user.id)
        payload = self.payload()
        answer = self.xmlrpc_object.execute_kw(
            self.db, uid, self.api_key, "atelier.obd.session", "ingest", [payload]
        )
        self.assertEqual((answer["status"], answer["accepted"]), ("stored", 51))
        again = self.xmlrpc_object.execute_kw(
            self.db, uid, self.api_key, "atelier.obd.session", "ingest", [payload]
        )
        self.assertEqual(again["status"], "duplicate")
        self.assertEqual(again["session_id"], answer["session_id"])
        session = self.env["atelier.obd.session"].browse(answer["session_id"])
        self.assertEqual(session.reading_count, 50)
        self.assertEqual(len(session.batch_ids), 1)

    @mute_logger("odoo.http")
    def test_xmlrpc_bridge_can_do_nothing_else(self):
        uid = self.bridge_user.id
        calls = [
            ("res.partner", "search_read", [[]], {"fields": ["name"], "limit": 1}),
            ("fleet.vehicle", "search_read", [[]], {"fields": ["vin_sn"]}),
            ("atelier.obd.session", "search_read", [[]], {"fields": ["vin"]}),
            ("atelier.obd.session", "_ingest_store", [1, {}, {}], {}),
            ("res.users", "write", [[uid], {"group_ids": [(4, self.admin_group)]}], {}),
        ]
        for model, method, args, kwargs in calls:
            with (
                self.subTest(method=f"{model}.{method}"),
                self.assertRaises(xmlrpc.client.Fault),
            ):
                self.xmlrpc_object.execute_kw(
                    self.db, uid, self.api_key, model, method, args, kwargs
                )
        with self.assertRaises(xmlrpc.client.Fault):
            self.xmlrpc_object.execute_kw(
                self.db,
                uid,
                "wrong-key",
                "atelier.obd.session",
                "ingest",
                [self.payload()],
            )

    @mute_logger("odoo.addons.rpc.controllers.xmlrpc", "odoo.http")
    def test_xmlrpc_malformed_payload(self):
        with self.assertRaises(xmlrpc.client.Fault) as caught:
            self.xmlrpc_object.execute_kw(
                self.db,
                self.bridge_user.id,
                self.api_key,
                "atelier.obd.session",
                "ingest",
                [{"bridge_id": "garage-1"}],
            )
        self.assertIn("Malformed OBD payload", caught.exception.faultString)

    def test_json2_ingest_and_duplicate(self):
        payload = self.payload(count=20)
        response = self.json2("atelier.obd.session", "ingest", {"payload": payload})
        self.assertEqual(response.status_code, 200, response.text)
        answer = response.json()
        self.assertEqual((answer["status"], answer["accepted"]), ("stored", 21))
        again = self.json2("atelier.obd.session", "ingest", {"payload": payload}).json()
        self.assertEqual(again["status"], "duplicate")
        self.assertEqual(again["session_id"], answer["session_id"])
        chunks = self.env["atelier.obd.reading.chunk"].search(
            [("session_id", "=", answer["session_id"])]
        )
        self.assertEqual(sum(chunks.mapped("count")), 20)

    @mute_logger("odoo.http")
    def test_json2_refusals(self):
        malformed = self.json2("atelier.obd.session", "ingest", {"payload": "nope"})
        self.assertEqual(malformed.status_code, 422)
        self.assertIn("Malformed OBD payload", malformed.json()["message"])
        for model, method, body in (
            ("res.partner", "search_read", {"domain": [], "fields": ["name"]}),
            ("fleet.vehicle", "search", {"domain": []}),
            ("atelier.obd.session", "atelier_chart_data", {"ids": [1]}),
        ):
            with self.subTest(method=f"{model}.{method}"):
                response = self.json2(model, method, body)
                self.assertEqual(response.status_code, 403, response.text)
        private = self.json2(
            "atelier.obd.session", "_ingest_claim_batch", {"header": {}}
        )
        self.assertIn(private.status_code, (403, 404))
        wrong = self.json2(
            "atelier.obd.session", "ingest", {"payload": self.payload()}, key="nope"
        )
        self.assertEqual(wrong.status_code, 401)

    # -- limits and refusals on the wire (issue #10, items 30 and 32) ----------------
    def xmlrpc_raw(self, payload, replace=()):
        """POST an ``execute_kw`` of ``ingest`` built by hand: Python's XML-RPC
        client can neither send a 400-digit integer nor a 3,000-level struct.
        ``replace``: (placeholder string, raw XML value) pairs."""
        body = xmlrpc.client.dumps(
            (
                self.db,
                self.bridge_user.id,
                self.api_key,
                "atelier.obd.session",
                "ingest",
                [payload],
            ),
            "execute_kw",
            allow_none=True,
        )
        for placeholder, xml in replace:
            body = body.replace(f"<value><string>{placeholder}</string></value>", xml)
        return self.url_open(
            "/xmlrpc/2/object", data=body, headers={"Content-Type": "text/xml"}
        )

    def fault_of(self, response):
        self.assertEqual(response.status_code, 200, response.text[:300])
        with self.assertRaises(xmlrpc.client.Fault) as caught:
            xmlrpc.client.loads(response.content)
        return caught.exception

    @mute_logger("odoo.addons.rpc.controllers.xmlrpc")
    def test_hostile_values_are_permanent_refusals_not_500(self):
        deep = "<value><struct><member><name>a</name>" * 3000
        deep += "<value><int>1</int></value>" + "</member></struct></value>" * 3000
        huge = f"<value><int>{10**400}</int></value>"
        cases = {
            "deep freeze frame": (
                {
                    "dtcs": [
                        {
                            "code": "P0301",
                            "status": "stored",
                            "ts": "NOW",
                            "freeze_frame": "__DEEP__",
                        }
                    ]
                },
                "nested deeper than",
            ),
            "400-digit odometer": ({"odometer": "__HUGE__"}, "odometer"),
            "year 1 with an offset": (
                {"started_at": "0001-01-01T00:30:00+01:00"},
                "started_at",
            ),
            "year 9999 with an offset": (
                {"started_at": "9999-12-31T23:30:00-02:00"},
                "started_at",
            ),
        }
        for name, (changes, message) in cases.items():
            payload = self.payload(count=3)
            for key, value in changes.items():
                payload[key] = value
                if key == "dtcs":
                    value[0]["ts"] = iso(self.start)
            with self.subTest(case=name, transport="xmlrpc"):
                fault = self.fault_of(
                    self.xmlrpc_raw(payload, [("__DEEP__", deep), ("__HUGE__", huge)])
                )
                self.assertEqual(fault.faultCode, 2, fault.faultString[-300:])
                self.assertIn(message, fault.faultString)
            if "__DEEP__" in json.dumps(payload):
                body = json.dumps({"payload": payload}).replace(
                    '"__DEEP__"', '{"a": ' * 3000 + "1" + "}" * 3000
                )
            else:
                body = json.dumps({"payload": payload}).replace(
                    '"__HUGE__"', str(10**400)
                )
            with self.subTest(case=name, transport="json2"):
                response = self.url_open(
                    "/json/2/atelier.obd.session/ingest",
                    data=body,
                    headers={
                        "Authorization": f"bearer {self.api_key}",
                        "X-Odoo-Database": self.db,
                        "Content-Type": "application/json",
                    },
                )
                self.assertEqual(response.status_code, 422, response.text[:300])
                self.assertIn("Malformed OBD payload", response.json()["message"])
        self.assertFalse(
            self.env["atelier.obd.batch"].search([("bridge_id", "=", "garage-1")])
        )

    @mute_logger("odoo.addons.rpc.controllers.xmlrpc")
    def test_json2_body_is_capped_like_xmlrpc(self):
        """JSON-2 used to take a body that XML-RPC refused with 413."""
        self.env["ir.config_parameter"].set_param("web.max_file_upload_size", 50_000)
        payload = self.payload(count=1000)  # ~100 kB
        response = self.json2("atelier.obd.session", "ingest", {"payload": payload})
        self.assertEqual(response.status_code, 413, response.text[:300])
        self.assertIn("50000 bytes", response.json()["message"])
        xmlrpc_answer = self.xmlrpc_raw(payload)
        self.assertEqual(xmlrpc_answer.status_code, 413)
        self.env["ir.config_parameter"].set_param("web.max_file_upload_size", False)
        small = self.json2(
            "atelier.obd.session", "ingest", {"payload": self.payload(count=5)}
        )
        self.assertEqual(small.status_code, 200, small.text[:300])

    def test_json2_conflict_is_409(self):
        payload = self.payload(count=5)
        first = self.json2("atelier.obd.session", "ingest", {"payload": payload})
        self.assertEqual(first.json()["status"], "stored")
        other = copy.deepcopy(payload)
        other["readings"][0]["value"] = 1234.0
        response = self.json2("atelier.obd.session", "ingest", {"payload": other})
        self.assertEqual(response.status_code, 409, response.text[:300])
        self.assertIn("conflict", response.json()["message"])
