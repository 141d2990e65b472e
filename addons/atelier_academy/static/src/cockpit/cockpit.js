import { Component, onWillStart, useState } from "@odoo/owl";
import { _t } from "@web/core/l10n/translation";
import { registry } from "@web/core/registry";
import { useService } from "@web/core/utils/hooks";

/**
 * Coach cockpit: my learners and their progress on each path, weak
 * competencies (quiz and exam errors per tag), sessions attended and due,
 * hours left, and attendance marking. One RPC gets everything (set-based
 * on the server).
 */
export class AcademyCockpit extends Component {
    static template = "atelier_academy.Cockpit";
    static props = ["*"];

    setup() {
        this.orm = useService("orm");
        this.action = useService("action");
        this.notification = useService("notification");
        this.state = useState({ data: null, search: "" });
        onWillStart(() => this.load());
    }

    async load() {
        this.state.data = await this.orm.call("atelier.academy.cockpit", "get_cockpit_data", []);
    }

    get learners() {
        const search = this.state.search.trim().toLowerCase();
        const learners = this.state.data ? this.state.data.learners : [];
        if (!search) {
            return learners;
        }
        return learners.filter(
            (learner) =>
                learner.partner.toLowerCase().includes(search) ||
                learner.path.toLowerCase().includes(search) ||
                learner.intake.toLowerCase().includes(search)
        );
    }

    isIdle(learner) {
        return learner.idle_days !== null && learner.idle_days >= 7;
    }

    openEnrolment(learner) {
        this.action.doAction({
            type: "ir.actions.act_window",
            res_model: "atelier.academy.enrolment",
            res_id: learner.id,
            views: [[false, "form"]],
        });
    }

    async mark(attendance, state) {
        await this.orm.write("atelier.academy.attendance", [attendance.id], { state });
        this.notification.add(_t("Attendance saved: %s", attendance.learner), {
            type: "success",
        });
        await this.load();
    }
}

registry.category("actions").add("atelier_academy.cockpit", AcademyCockpit);
