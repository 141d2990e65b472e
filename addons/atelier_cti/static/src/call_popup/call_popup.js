import { Component, onWillStart, useEffect, useState } from "@odoo/owl";
import { _t } from "@web/core/l10n/translation";
import { useService } from "@web/core/utils/hooks";
import { CustomerCard } from "@atelier_base/customer_card/customer_card";

const STATE_LABELS = {
    ringing: _t("Ringing"),
    answered: _t("Answered"),
    missed: _t("Missed"),
    ended: _t("Ended"),
    no_answer: _t("No answer"),
    failed: _t("Failed"),
};

/**
 * One call: the customer card, the last calls, notes and outcome. Shown
 * expanded (one call at a time) or as a compact chip that expands on click.
 */
export class CallPopup extends Component {
    static template = "atelier_cti.CallPopup";
    static components = { CustomerCard };
    static props = { call: Object, service: Object };

    setup() {
        this.orm = useService("orm");
        this.action = useService("action");
        this.notification = useService("notification");
        this.cards = useService("atelier_card");
        this.state = useState({
            recentCalls: [],
            note: "",
            noteSaved: false,
            outcome: "",
            // (value, label) pairs of atelier.call's outcome field, from the server
            outcomes: [],
            outcomeSaved: false,
            busy: false,
            // bumped after an action on the contact: the card fetches again
            cardVersion: 0,
        });
        onWillStart(() => this.load());
        // the call ended (or was answered): its line in "last calls" too
        let firstRun = true;
        useEffect(
            () => {
                if (firstRun) {
                    firstRun = false;
                } else if (!this.call.partner_id) {
                    this.load();
                }
            },
            () => [this.call.state]
        );
    }

    get call() {
        return this.props.call;
    }

    get collapsed() {
        return this.props.service.state.activeId !== this.call.id;
    }

    get outgoing() {
        return this.call.direction === "outbound";
    }

    get title() {
        return this.call.partner_name || this.call.number || _t("Hidden number");
    }

    get stateLabel() {
        if (this.outgoing && this.call.state === "ringing") {
            return _t("Calling…");
        }
        return STATE_LABELS[this.call.state] || this.call.state;
    }

    get stateClass() {
        return {
            ringing: "text-bg-warning",
            answered: "text-bg-info",
            missed: "text-bg-danger",
            failed: "text-bg-danger",
            no_answer: "text-bg-secondary",
            ended: "text-bg-secondary",
        }[this.call.state];
    }

    get isOver() {
        return ["ended", "missed", "no_answer", "failed"].includes(this.call.state);
    }

    /** The outcome of an outgoing call can be logged while it goes on: a
     * call dialed through the softphone is reported by nobody else. */
    get canLogOutcome() {
        return this.isOver || this.outgoing;
    }

    expand() {
        this.props.service.expand(this.call.id);
    }

    onChipKeydown(ev) {
        if (ev.key === "Enter" || ev.key === " ") {
            ev.preventDefault();
            this.expand();
        }
    }

    collapse() {
        this.props.service.collapse();
    }

    /** The contact's cards (this one and any other open) fetch again. */
    refreshCard() {
        this.state.cardVersion++;
        this.cards.changed([this.call.partner_id]);
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
            onClose: () => this.load(),
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
            this.refreshCard();
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
