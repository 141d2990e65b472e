import { Component, onWillStart, useState } from "@odoo/owl";
import { _t } from "@web/core/l10n/translation";
import { registry } from "@web/core/registry";
import { useService } from "@web/core/utils/hooks";

/**
 * The manager's desk figures: calls, tickets against SLA, appointments,
 * satisfaction, next week's call forecast and the clients at risk. Every
 * figure is computed server-side from the records and opens them.
 */
export class DeskDashboard extends Component {
    static template = "atelier_desk.DeskDashboard";
    static props = ["*"];

    setup() {
        this.orm = useService("orm");
        this.action = useService("action");
        this.state = useState({ data: null, days: 30 });
        onWillStart(() => this.load());
    }

    async load() {
        this.state.data = await this.orm.call(
            "atelier.desk.dashboard",
            "atelier_dashboard_data",
            [],
            { days: this.state.days }
        );
    }

    setPeriod(days) {
        this.state.days = days;
        return this.load();
    }

    periodLabel(days) {
        return _t("%s days", days);
    }

    openKpi(kpi) {
        this.action.doAction({
            type: "ir.actions.act_window",
            name: kpi.label,
            res_model: kpi.res_model,
            domain: kpi.domain,
            views: [
                [false, "list"],
                [false, "form"],
            ],
        });
    }

    openRisk(reason) {
        this.action.doAction({
            type: "ir.actions.act_window",
            name: reason.action.name,
            res_model: reason.action.res_model,
            domain: reason.action.domain,
            views: [
                [false, "list"],
                [false, "form"],
            ],
        });
    }

    openPartner(client) {
        this.action.doAction({
            type: "ir.actions.act_window",
            res_model: "res.partner",
            res_id: client.partner_id,
            views: [[false, "form"]],
        });
    }

    openAllRisks() {
        this.action.doAction("atelier_desk.atelier_desk_risk_action");
    }

    get forecastHint() {
        const forecast = this.state.data.forecast;
        return _t("(%s calls, from %s weeks of history)", forecast.total, forecast.weeks);
    }

    get maxCalls() {
        return Math.max(1, ...this.state.data.calls_by_hour.map((row) => row.calls));
    }

    barStyle(row) {
        return `height: ${Math.round((100 * row.calls) / this.maxCalls)}%;`;
    }

    missedStyle(row) {
        return `height: ${row.calls ? Math.round((100 * row.missed) / row.calls) : 0}%;`;
    }

    heatStyle(value) {
        const peak = this.state.data.forecast.peak || 1;
        const alpha = Math.min(1, value / peak).toFixed(2);
        return `background-color: rgba(113, 75, 103, ${alpha}); color: ${value / peak > 0.55 ? "#fff" : "inherit"};`;
    }
}

registry.category("actions").add("atelier_desk.dashboard", DeskDashboard);
