import { Component, onWillStart, useState } from "@odoo/owl";
import { _t } from "@web/core/l10n/translation";
import { registry } from "@web/core/registry";
import { useService } from "@web/core/utils/hooks";
import { formatFloat } from "@web/core/utils/numbers";
import { Layout } from "@web/search/layout";

const PERIODS = [
    ["30", _t("Last 30 days")],
    ["90", _t("Last 90 days")],
    ["365", _t("Last 12 months")],
    ["all", _t("All time")],
];

/** The funnel in numbers: leads, qualified, won, per source, campaign and
 * referral code; time in stage; sequence performance. One server call. */
export class FunnelDashboard extends Component {
    static template = "atelier_crm.FunnelDashboard";
    static components = { Layout };
    static props = ["*"];

    setup() {
        this.orm = useService("orm");
        this.action = useService("action");
        this.periods = PERIODS;
        this.state = useState({ period: "365", data: null, loading: true });
        onWillStart(() => this.load());
    }

    dateFrom() {
        if (this.state.period === "all") {
            return false;
        }
        const from = new Date(Date.now() - Number(this.state.period) * 86400000);
        return from.toISOString().slice(0, 19).replace("T", " ");
    }

    async load() {
        this.state.loading = true;
        this.state.data = await this.orm.call("atelier.crm.funnel.report", "atelier_dashboard", [], {
            date_from: this.dateFrom(),
        });
        this.state.loading = false;
    }

    async setPeriod(ev) {
        this.state.period = ev.target.value;
        await this.load();
    }

    money(value) {
        if (value === null || value === undefined) {
            return "—";
        }
        const amount = formatFloat(Number(value), { digits: [16, 0] });
        return `${amount} ${this.state.data.currency}`;
    }

    openFunnel(groupby, key) {
        const domain = [];
        if (key !== undefined && key !== false) {
            domain.push([groupby, "=", key]);
        } else if (key === false) {
            domain.push([groupby, "=", false]);
        }
        const from = this.dateFrom();
        if (from) {
            domain.push(["create_date", ">=", from]);
        }
        this.action.doAction({
            type: "ir.actions.act_window",
            name: _t("Funnel analysis"),
            res_model: "atelier.crm.funnel.report",
            views: [
                [false, "pivot"],
                [false, "graph"],
                [false, "list"],
            ],
            domain,
            context: { pivot_row_groupby: ["channel"] },
        });
    }
}

registry.category("actions").add("atelier_crm.funnel_dashboard", FunnelDashboard);
