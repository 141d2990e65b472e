import { Component, onWillStart, useState } from "@odoo/owl";
import { _t } from "@web/core/l10n/translation";
import { useService } from "@web/core/utils/hooks";
import { CustomerCard } from "@atelier_base/customer_card/customer_card";

const STATE_LABELS = {
    ringing: _t("Ringing"),
    answered: _t("Answered"),
    missed: _t("Missed"),
    ended: _t("Ended"),
};

/** One call: the customer card, the last calls, notes and outcome. */
export class CallPopup extends Component {
    static template = "atelier_cti.CallPopup";
    static components = { CustomerCard };
    static props = { call: Object, service: Object };

    setup() {
        this.orm = useService("orm");
        this.action = useService("action");
        this.notification = useService("notification");
        this.state = useState({
            recentCalls: [],
            note: "",
            noteSaved: false,
            outcome: "",
            // (value, label) pairs of atelier.call's outcome field, from the server
            outcomes: [],
            outcomeSaved: false,
            busy: false,
        });
        onWillStart(() => this.load());
    }

    get call() {
        return this.props.call;
    }

    get title() {
        return this.call.partner_name || this.call.number || _t("Hidden number");
    }

    get stateLabel() {
        return STATE_LABELS[this.call.state] || this.call.state;
    }

    get isOver() {
        return ["ended", "missed"].includes(this.call.state);
    }

    async load() {
        const data = await this.orm.call("atelier.call", "atelier_popup_data", [[this.call.id]]);
        this.state.recentCalls = data.recent_calls;
        this.state.outcomes = data.outcomes;
        this.props.service.update(data);
    }

    async choose(partnerId) {
        const data = await this.orm.call("atelier.call", "atelier_choose_partner", [
            [this.call.id],
            partnerId,
        ]);
        this.props.service.update(data);
    }

    openContact() {
        this.action.doAction({
            type: "ir.actions.act_window",
            res_model: "res.partner",
            res_id: this.call.partner_id,
            views: [[false, "form"]],
        });
    }

    async newContact() {
        const action = await this.orm.call("atelier.call", "action_new_contact", [[this.call.id]]);
        await this.action.doAction(action, {
            onClose: async () => {
                const data = await this.orm.call("atelier.call", "atelier_popup_data", [
                    [this.call.id],
                ]);
                this.props.service.update(data);
            },
        });
    }

    async logNote() {
        const note = this.state.note.trim();
        if (!note || this.state.busy) {
            return;
        }
        this.state.busy = true;
        try {
            await this.orm.call("atelier.call", "atelier_log_note", [[this.call.id], note]);
            this.state.note = "";
            this.state.noteSaved = true;
        } finally {
            this.state.busy = false;
        }
    }

    async logOutcome() {
        if (!this.state.outcome || this.state.busy) {
            return;
        }
        this.state.busy = true;
        try {
            const data = await this.orm.call("atelier.call", "atelier_log_outcome", [
                [this.call.id],
                this.state.outcome,
                this.state.note.trim() || false,
            ]);
            this.props.service.update(data);
            this.state.note = "";
            this.state.outcomeSaved = true;
            this.notification.add(_t("Outcome logged."), { type: "success" });
        } finally {
            this.state.busy = false;
        }
    }

    dismiss() {
        this.props.service.dismiss(this.call.id);
    }
}

export class CallPopupContainer extends Component {
    static template = "atelier_cti.CallPopupContainer";
    static components = { CallPopup };
    static props = { service: Object };

    get calls() {
        return this.props.service.state.calls;
    }
}
