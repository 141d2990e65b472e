import { Component, markup, onWillStart, useEffect, useState } from "@odoo/owl";
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
            // "Call back": the quick choices of when (from the server)
            callbackChoices: [],
        });
        // "Send a template": the list, then a preview, then Send
        this.mailing = useState({
            open: false,
            loading: false,
            templates: [],
            reason: false,
            preview: null,
            sent: null,
        });
        // "Call back": a few choices of when; one click plans it
        this.callback = useState({
            open: false,
            busy: false,
            day: "",
            planned: null,
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

    get mailingTitle() {
        return this.call.email_reason || _t("E-mail a template to the caller");
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
        this.state.callbackChoices = data.callback_choices || [];
        this.props.service.update(data);
    }

    // ------------------------------------------------------------------
    // Send a template
    // ------------------------------------------------------------------
    async openTemplates() {
        if (this.mailing.open) {
            this.mailing.open = false;
            return;
        }
        this.callback.open = false;
        Object.assign(this.mailing, { open: true, preview: null, sent: null });
        this.mailing.loading = true;
        try {
            const data = await this.orm.call("atelier.call", "atelier_call_templates", [
                [this.call.id],
            ]);
            this.mailing.templates = data.templates;
            this.mailing.reason = data.reason;
        } finally {
            this.mailing.loading = false;
        }
    }

    async previewTemplate(template) {
        if (this.mailing.loading) {
            return;
        }
        this.mailing.loading = true;
        try {
            const rendered = await this.orm.call(
                "atelier.call",
                "atelier_call_template_preview",
                [[this.call.id], template.id]
            );
            this.mailing.preview = {
                ...rendered,
                template,
                body: markup(rendered.body_html),
            };
        } finally {
            this.mailing.loading = false;
        }
    }

    backToTemplates() {
        this.mailing.preview = null;
    }

    async sendTemplate() {
        const preview = this.mailing.preview;
        if (!preview || this.mailing.loading) {
            return;
        }
        this.mailing.loading = true;
        try {
            const data = await this.orm.call("atelier.call", "atelier_call_template_send", [
                [this.call.id],
                preview.template.id,
            ]);
            this.props.service.update(data);
            this.mailing.sent = { email: data.email, subject: data.subject };
            this.mailing.open = false;
            this.mailing.preview = null;
            this.refreshCard();
        } finally {
            this.mailing.loading = false;
        }
    }

    // ------------------------------------------------------------------
    // Schedule a call back
    // ------------------------------------------------------------------
    openCallback() {
        this.callback.open = !this.callback.open;
        if (this.callback.open) {
            this.mailing.open = false;
        }
    }

    async scheduleCallback(when, day = false) {
        if (this.callback.busy || (when === "day" && !day)) {
            return;
        }
        this.callback.busy = true;
        try {
            const data = await this.orm.call("atelier.call", "atelier_schedule_call_back", [
                [this.call.id],
                when,
                day,
            ]);
            this.props.service.update(data);
            Object.assign(this.callback, { open: false, day: "", planned: data.callback });
            this.refreshCard();
        } finally {
            this.callback.busy = false;
        }
    }

    async undoCallback() {
        const planned = this.callback.planned;
        if (!planned || this.callback.busy) {
            return;
        }
        this.callback.busy = true;
        try {
            const data = await this.orm.call("atelier.call", "atelier_undo_call_back", [
                [this.call.id],
                planned.activity_id,
                planned.outcome_set,
            ]);
            this.props.service.update(data);
            this.callback.planned = null;
            this.refreshCard();
            this.notification.add(_t("Call back cancelled."), { type: "info" });
        } finally {
            this.callback.busy = false;
        }
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
