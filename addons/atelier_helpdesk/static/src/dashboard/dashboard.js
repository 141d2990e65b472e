import { Component, onWillStart, useState } from "@odoo/owl";
import { _t } from "@web/core/l10n/translation";
import { registry } from "@web/core/registry";
import { useService } from "@web/core/utils/hooks";

/**
 * The manager's helpdesk dashboard: figures first (open, unassigned, SLA
 * breached and at risk, average first-response and resolution times,
 * satisfaction), then open tickets per team and type. Every figure opens
 * the tickets behind it.
 */
export class HelpdeskDashboard extends Component {
    static template = "atelier_helpdesk.HelpdeskDashboard";
    static props = ["*"];

    setup() {
        this.orm = useService("orm");
        this.action = useService("action");
        this.state = useState({ data: null });
        onWillStart(() => this.load());
    }

    async load() {
        this.state.data = await this.orm.call("helpdesk.ticket", "atelier_dashboard_data", []);
    }

    open(title, cell) {
        if (!cell.domain) {
            return;
        }
        this.action.doAction({
            type: "ir.actions.act_window",
            name: title,
            res_model: "helpdesk.ticket",
            domain: cell.domain,
            views: [
                [false, "list"],
                [false, "form"],
            ],
        });
    }

    openRow(row, index) {
        const title = `${row.team} · ${row.type} · ${this.state.data.columns[index]}`;
        this.open(title, row.cells[index]);
    }

    openAnalysis() {
        this.action.doAction("atelier_helpdesk.atelier_helpdesk_dashboard_action");
    }

    get periodLabel() {
        return _t("Times and satisfaction: last %s days", this.state.data.days);
    }
}

registry.category("actions").add("atelier_helpdesk.dashboard", HelpdeskDashboard);
