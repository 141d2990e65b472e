# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import base64
import io
import re
from datetime import datetime, timedelta, timezone

from PyPDF2 import PdfReader

from odoo.tests import HttpCase, tagged

from ..tools import charts
from .common import ObdDataMixin, iso

# a winter morning: Paris is UTC+1, 03:08 UTC is 04:08 in the workshop
START = datetime(2026, 1, 15, 3, 8, tzinfo=timezone.utc)


def report_text(pdf):
    pages = PdfReader(io.BytesIO(pdf)).pages
    # wkhtmltopdf separates words with tabs: compare on normalized spaces
    return " ".join(" ".join(page.extract_text() for page in pages).split())


@tagged("post_install", "-at_install")
class TestReport(ObdDataMixin, HttpCase):
    """HttpCase: wkhtmltopdf fetches the report assets from the test server."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.setup_obd_data()
        cls.company = cls.env.company
        cls.company.write(
            {
                "name": "Garage Atelier Test",
                "street": "12 rue des Artisans",
                "zip": "69100",
                "city": "Villeurbanne",
                "phone": "+33 4 72 00 00 00",
                "email": "atelier@example.com",
            }
        )
        cls.company.partner_id.tz = "Europe/Paris"
        dtc = cls.env.ref("atelier_dtc.dtc_p0301")
        dtc.likely_causes = "Worn spark plug; Faulty ignition coil\nInjector leak"
        start = START
        readings = []
        for i in range(240):
            ts = iso(start + timedelta(seconds=1 + i))
            readings += [
                {"pid": "RPM", "ts": ts, "value": 800.0 + (i % 100)},
                {"pid": "COOLANT_TEMP", "ts": ts, "value": 40.0 + i / 10},
                {"pid": "ENGINE_LOAD", "ts": ts, "value": 20.0 + i % 30},
                # a healthy charging voltage: a narrow 13.9-14.1 V band
                {
                    "pid": "CONTROL_MODULE_VOLTAGE",
                    "ts": ts,
                    "value": 14.1 - (i % 5) * 0.05,
                },
            ]
        payload = cls.make_payload(
            started_at=start,
            readings=readings,
            dtcs=[
                {
                    "code": "P0301",
                    "status": "stored",
                    "ts": iso(start),
                    "freeze_frame": {"RPM": 2150, "COOLANT_TEMP": 88},
                },
                {"code": "U0100", "status": "pending", "ts": iso(start)},
            ],
        )
        # a session of January: the bridge sends it late, its clock right
        payload["sent_at"] = iso(datetime.now(timezone.utc))
        answer = (
            cls.env["atelier.obd.session"].with_user(cls.bridge_user).ingest(payload)
        )
        assert answer["accepted"] == 962, answer["rejected"][:3]
        cls.session = cls.env["atelier.obd.session"].browse(answer["session_id"])
        cls.session.odometer = 128450

    def render_pdf(self):
        # test mode renders HTML unless forced: we want the real wkhtmltopdf output
        report = self.env["ir.actions.report"].with_context(force_report_rendering=True)
        pdf, kind = report._render_qweb_pdf(
            "atelier_fleet_obd.action_report_obd_session", self.session.ids
        )
        self.assertEqual(kind, "pdf")
        return pdf

    def test_pdf_carries_the_letterhead_codes_and_local_times(self):
        text = report_text(self.render_pdf())
        for expected in (
            "Garage Atelier Test",  # the letterhead, in the page itself
            "12 rue des Artisans",
            "69100 Villeurbanne",
            "+33 4 72 00 00 00",
            "atelier@example.com",
            "P0301",
            "U0100",
            "Cylinder 1 misfire detected",
            "Taxi Alpha",
            "AA-111-AA",
            "Engine speed",
            "Europe/Paris",
        ):
            self.assertIn(expected, text)
        # the title and the start say the same local time (not 03:08 UTC)
        self.assertIn("4:08", text)
        self.assertNotIn("3:08", text)
        self.assertNotIn("800.0", text)
        self.assertIn("128,450 km", text)

    def test_html_lists_causes_and_formats_numbers(self):
        html, _kind = self.env["ir.actions.report"]._render_qweb_html(
            "atelier_fleet_obd.action_report_obd_session", self.session.ids
        )
        html = html.decode()
        causes = re.search(
            r'<ul class="mb-0 ps-3 o_atelier_report_causes">(.*?)</ul>', html, re.S
        ).group(1)
        self.assertEqual(
            re.findall(r"<li>(.*?)</li>", causes),
            ["Worn spark plug", "Faulty ignition coil", "Injector leak"],
        )
        self.assertIn("Engine speed 2,150 rpm", " ".join(html.split()))
        # a space after the label: the PDF read "set:Coolant temperature"
        self.assertRegex(html, r"When the code was set:</em>\s+Coolant temperature")
        self.assertNotIn("800.0", html)
        self.assertIn(">899<", html, "max of the RPM readings, no decimals")
        self.assertIn(">14.10<", html, "volts with two decimals")

    def test_freeze_frame_reads_as_measures_not_json(self):
        """The code's form showed the raw JSON: {"RPM":2150,"COOLANT_TEMP":88}."""
        line = self.session.dtc_ids.filtered(lambda dtc: dtc.code == "P0301")
        self.assertEqual(
            line.freeze_frame_text,
            "Coolant temperature: 88 °C\nEngine speed: 2,150 rpm",
        )
        unknown = self.session.dtc_ids.filtered(lambda dtc: dtc.code == "U0100")
        self.assertFalse(unknown.freeze_frame_text)
        unknown.freeze_frame = {"XYZ": "on"}
        self.assertEqual(unknown.freeze_frame_text, "XYZ: on")

    def test_french_reader_gets_french_numbers(self):
        self.env["res.lang"]._activate_lang("fr_FR")
        session = self.session.with_context(lang="fr_FR")
        values = session._atelier_report_values()
        stats = {row["pid"]: row for row in values["stats"]}
        self.assertEqual(stats["CONTROL_MODULE_VOLTAGE"]["max_text"], "14,10")
        self.assertEqual(stats["RPM"]["min_text"], "800")
        self.assertRegex(values["odometer"], r"^128\D450$")
        self.assertIn("04:08", values["title_when"])
        self.assertIn("04:08", values["start"])
        line = session.dtc_ids.filtered(lambda dtc: dtc.code == "P0301")
        self.assertRegex(line.freeze_frame_text, r"\nRégime moteur : 2\D150 ")

    def test_charts_have_axes_times_units_and_sane_scales(self):
        values = self.session._atelier_report_values()
        by_pid = {chart["pid"]: chart for chart in values["charts"]}
        self.assertEqual(
            set(by_pid),
            {"RPM", "COOLANT_TEMP", "ENGINE_LOAD", "CONTROL_MODULE_VOLTAGE"},
        )
        svgs = {
            pid: base64.b64decode(chart["src"].split(",", 1)[1]).decode()
            for pid, chart in by_pid.items()
        }
        volts = svgs["CONTROL_MODULE_VOLTAGE"]
        labels = re.findall(r"<text[^>]*>([^<]+)</text>", volts)
        self.assertIn("V", labels, "the unit on the value axis")
        self.assertIn("04:10", labels, "times on the time axis, in Paris time")
        ticks = [
            float(label) for label in labels if re.fullmatch(r"\d+(\.\d+)?", label)
        ]
        self.assertGreaterEqual(
            max(ticks) - min(ticks), 0.5, "not a full-height zigzag"
        )
        self.assertLessEqual(min(ticks), 13.9)
        self.assertGreaterEqual(max(ticks), 14.1)
        # the plot areas line up: same rectangle in every chart
        areas = {
            pid: re.search(r'<clipPath id="[^"]+">\s*<rect ([^/]+)/>', svg).group(1)
            for pid, svg in svgs.items()
        }
        self.assertEqual(len(set(areas.values())), 1, areas)

    def test_axis_range_of_a_narrow_band(self):
        low, high = charts.axis_range([13.9, 14.0, 14.1], "V", (0.0, 20.0))
        self.assertLessEqual(low, 13.1)
        self.assertGreaterEqual(high, 14.9)
        self.assertLess(high - low, 2.5)
        low, high = charts.axis_range([0.0, 88.0], "km/h", (0.0, 300.0))
        self.assertEqual(low, 0.0, "no negative speed")
        self.assertLess(high, 100)

    def test_print_action(self):
        action = self.session.with_user(self.technician).action_print_report()
        self.assertEqual(action["report_name"], "atelier_fleet_obd.report_obd_session")
