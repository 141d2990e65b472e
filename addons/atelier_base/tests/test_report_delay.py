# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import io

from pypdf import PdfReader

from odoo.tests import TransactionCase, tagged

# The page changes its text 300 ms after loading: what wkhtmltopdf prints
# tells whether it waited for the page's JavaScript.
LATE_PAGE = """
<t t-name="atelier_base.test_late_page">
    <t t-call="web.html_container">
        <div class="page">
            <p id="late">printed-at-once</p>
            <script>
                setTimeout(function () {
                    const late = document.getElementById("late");
                    late.textContent = "printed-after-waiting";
                }, 300);
            </script>
        </div>
    </t>
</t>
"""


@tagged("post_install", "-at_install")
class TestReportDelay(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        view = cls.env["ir.ui.view"].create(
            {"name": "late page", "type": "qweb", "arch": LATE_PAGE}
        )
        cls.env["ir.model.data"].create(
            {
                "module": "atelier_base",
                "name": "test_late_page",
                "model": "ir.ui.view",
                "res_id": view.id,
            }
        )
        cls.report = cls.env["ir.actions.report"].create(
            {
                "name": "Late page",
                "model": "res.partner",
                "report_type": "qweb-pdf",
                "report_name": "atelier_base.test_late_page",
            }
        )
        cls.partner = cls.env["res.partner"].create({"name": "Printed"})

    def _printed_text(self):
        pdf, _kind = (
            self.env["ir.actions.report"]
            .with_context(force_report_rendering=True)
            ._render_qweb_pdf(self.report, res_ids=self.partner.ids)
        )
        return "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)

    def test_the_report_waits_by_default(self):
        self.assertEqual(self.report.atelier_print_delay, -1)
        self.assertIn("printed-after-waiting", self._printed_text())

    def test_a_report_drawn_on_the_server_prints_at_once(self):
        self.report.atelier_print_delay = 0
        self.assertIn("printed-at-once", self._printed_text())

    def test_the_delay_in_the_command_line(self):
        Report = self.env["ir.actions.report"]
        paperformat = self.env.ref("base.paperformat_euro")
        default = Report._build_wkhtmltopdf_args(paperformat, False)
        quick = Report.with_context(atelier_print_delay=0)._build_wkhtmltopdf_args(
            paperformat, False
        )
        index = default.index("--javascript-delay")
        self.assertEqual(quick[index + 1], "0")
        self.assertNotEqual(default[index + 1], "0")
