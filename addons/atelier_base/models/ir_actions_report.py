# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models


class IrActionsReport(models.Model):
    _inherit = "ir.actions.report"

    # Odoo gives every PDF a fixed --javascript-delay (report.print_delay,
    # 1000 ms by default) for reports that draw with JavaScript. A report
    # rendered entirely on the server (tables, SVG charts) waits for nothing:
    # that second is most of its printing time.
    atelier_print_delay = fields.Integer(
        string="JavaScript delay (ms)",
        default=-1,
        help="Time wkhtmltopdf waits for the page's JavaScript before printing. "
        "-1: the database's default (system parameter report.print_delay); "
        "0: for reports drawn entirely on the server.",
    )

    @api.model
    def _run_wkhtmltopdf(self, bodies, report_ref=False, **kwargs):
        if report_ref and self.env.context.get("atelier_print_delay") is None:
            report = self._get_report(report_ref)
            if report.atelier_print_delay >= 0:
                self = self.with_context(atelier_print_delay=report.atelier_print_delay)  # noqa: PLW0642
        return super()._run_wkhtmltopdf(bodies, report_ref=report_ref, **kwargs)

    @api.model
    def _build_wkhtmltopdf_args(self, paperformat_id, landscape, *args, **kwargs):
        command_args = super()._build_wkhtmltopdf_args(
            paperformat_id, landscape, *args, **kwargs
        )
        delay = self.env.context.get("atelier_print_delay")
        if delay is not None and "--javascript-delay" in command_args:
            index = command_args.index("--javascript-delay")
            command_args[index + 1] = str(max(int(delay), 0))
        return command_args
