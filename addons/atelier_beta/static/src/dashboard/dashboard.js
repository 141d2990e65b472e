import { Component, onWillStart, useState } from "@odoo/owl";
import { _t } from "@web/core/l10n/translation";
import { registry } from "@web/core/registry";
import { useService } from "@web/core/utils/hooks";
import { Layout } from "@web/search/layout";

/** The beta in numbers, from one server call: waitlist, invitations,
 * activation and retention per batch, weekly actives, feedback, NPS by
 * segment, referral. */
export class BetaDashboard extends Component {
    static template = "atelier_beta.Dashboard";
    static components = { Layout };
    static props = ["*"];

    setup() {
        this.orm = useService("orm");
        this.action = useService("action");
        this.state = useState({ data: null });
        this.npsTabs = [
            ["batch", _t("Batch")],
            ["profile", _t("Profile")],
            ["fuel_type", _t("Fuel type")],
            ["origin", _t("Came through")],
        ];
        onWillStart(() => this.load());
    }

    async load() {
        this.state.data = await this.orm.call("atelier.beta.dashboard", "atelier_dashboard", []);
    }

    pct(value) {
        return value === null || value === undefined ? "—" : `${value} %`;
    }

    num(value) {
        return value === null || value === undefined ? "—" : String(value);
    }

    barHeight(count) {
        const max = this.state.data.per_day_max || 1;
        return `${Math.max(2, Math.round((100 * count) / max))}%`;
    }

    open(model, domain, name) {
        this.action.doAction({
            type: "ir.actions.act_window",
            name,
            res_model: model,
            views: [
                [false, "list"],
                [false, "form"],
            ],
            domain,
        });
    }

    openSignups(domain) {
        this.open("atelier.beta.signup", domain, _t("Sign-ups"));
    }

    openReferrals(domain) {
        this.open("atelier.beta.referral", domain, _t("Referrals"));
    }

    openFeedback(domain) {
        this.open("atelier.beta.feedback", domain, _t("Feedback"));
    }

    openNps(id) {
        this.action.doAction({
            type: "ir.actions.act_window",
            res_model: "atelier.beta.nps",
            res_id: id,
            views: [[false, "form"]],
        });
    }

    openBatch(id) {
        this.action.doAction({
            type: "ir.actions.act_window",
            res_model: "atelier.beta.batch",
            res_id: id,
            views: [[false, "form"]],
        });
    }
}

registry.category("actions").add("atelier_beta.dashboard", BetaDashboard);
