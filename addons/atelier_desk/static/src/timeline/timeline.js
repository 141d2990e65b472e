import { Component, onWillStart, onWillUpdateProps, useState } from "@odoo/owl";
import { deserializeDateTime, formatDateTime } from "@web/core/l10n/dates";
import { registry } from "@web/core/registry";
import { useService } from "@web/core/utils/hooks";
import { standardWidgetProps } from "@web/views/widgets/standard_widget_props";

/**
 * The contact's timeline: calls, e-mails, tickets, appointments (and what
 * other installed addons add) in one list, newest first, with a filter per
 * kind and "Show more" pages. Everything comes from
 * res.partner.atelier_timeline().
 */
export class Timeline extends Component {
    static template = "atelier_desk.Timeline";
    static props = { partnerId: { type: Number }, pageSize: { type: Number, optional: true } };

    setup() {
        this.orm = useService("orm");
        this.action = useService("action");
        this.state = useState({
            items: [],
            kinds: [],
            selected: [],
            next: false,
            company: false,
            loading: false,
            error: null,
        });
        onWillStart(() => this.load(this.props.partnerId));
        onWillUpdateProps((next) => {
            if (next.partnerId !== this.props.partnerId) {
                this.state.selected = [];
                return this.load(next.partnerId);
            }
        });
    }

    get pageSize() {
        return this.props.pageSize || 30;
    }

    async fetch(partnerId, cursor) {
        return this.orm.call("res.partner", "atelier_timeline", [[partnerId]], {
            kinds: this.state.selected.length ? this.state.selected : null,
            cursor: cursor || null,
            limit: this.pageSize,
        });
    }

    async load(partnerId = this.props.partnerId) {
        this.state.loading = true;
        try {
            const page = await this.fetch(partnerId);
            this.state.items = page.items;
            this.state.next = page.next;
            this.state.company = page.company;
            if (!this.state.selected.length) {
                this.state.kinds = page.kinds;
            }
            this.state.error = null;
        } catch (error) {
            this.state.error = error.data?.message || error.message || String(error);
        } finally {
            this.state.loading = false;
        }
    }

    async loadMore() {
        if (!this.state.next) {
            return;
        }
        this.state.loading = true;
        try {
            const page = await this.fetch(this.props.partnerId, this.state.next);
            this.state.items.push(...page.items);
            this.state.next = page.next;
        } finally {
            this.state.loading = false;
        }
    }

    isSelected(kind) {
        return this.state.selected.includes(kind.key);
    }

    toggleKind(kind) {
        const selected = this.state.selected;
        const index = selected.indexOf(kind.key);
        if (index >= 0) {
            selected.splice(index, 1);
        } else {
            selected.push(kind.key);
        }
        return this.load();
    }

    showAll() {
        this.state.selected = [];
        return this.load();
    }

    formatDate(value) {
        return formatDateTime(deserializeDateTime(value), { format: "dd/MM/yyyy HH:mm" });
    }

    open(item) {
        this.action.doAction({
            type: "ir.actions.act_window",
            res_model: item.open_model,
            res_id: item.open_id,
            views: [[false, "form"]],
        });
    }
}

export class TimelineWidget extends Component {
    static template = "atelier_desk.TimelineWidget";
    static components = { Timeline };
    static props = { ...standardWidgetProps };
}

registry.category("view_widgets").add("atelier_timeline", { component: TimelineWidget });
