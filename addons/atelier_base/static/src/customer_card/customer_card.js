import { Component, onWillStart, onWillUpdateProps, useState } from "@odoo/owl";
import { registry } from "@web/core/registry";
import { useBus, useService } from "@web/core/utils/hooks";
import { standardWidgetProps } from "@web/views/widgets/standard_widget_props";

/**
 * The customer card: the sections returned by res.partner.atelier_get_card(),
 * which every Atelier addon extends server-side. Used on the partner form and
 * inside the call pop-up (atelier_cti).
 *
 * It stays current: it fetches its sections again when the "atelier_card"
 * service says its contact (or a contact of the same company) changed, and
 * when its `version` prop changes (a parent that just acted on the contact).
 */
export class CustomerCard extends Component {
    static template = "atelier_base.CustomerCard";
    static props = {
        partnerId: { type: Number },
        compact: { type: Boolean, optional: true },
        version: { type: Number, optional: true },
    };

    setup() {
        this.orm = useService("orm");
        this.action = useService("action");
        this.state = useState({ card: null, error: null });
        // one fetch at a time: a change announced during a fetch refetches
        // once it is done
        this.loading = null;
        this.stale = false;
        this.fetchCount = 0;
        onWillStart(() => this.load(this.props.partnerId));
        onWillUpdateProps((next) => {
            if (next.partnerId !== this.props.partnerId || next.version !== this.props.version) {
                return this.load(next.partnerId);
            }
        });
        useBus(useService("atelier_card").bus, "changed", ({ detail }) => {
            if (this.concerns(detail.partnerIds)) {
                this.reload();
            }
        });
    }

    concerns(partnerIds) {
        const card = this.state.card;
        return (
            partnerIds.has(this.props.partnerId) ||
            Boolean(card && card.partner.commercial_id && partnerIds.has(card.partner.commercial_id))
        );
    }

    async reload() {
        if (this.loading) {
            this.stale = true;
            return;
        }
        await this.load(this.props.partnerId);
    }

    async load(partnerId) {
        if (!partnerId) {
            this.state.card = null;
            return;
        }
        // the last fetch wins (the contact may change while one runs)
        const fetchId = ++this.fetchCount;
        const promise = this.orm.call("res.partner", "atelier_get_card", [[partnerId]]);
        this.loading = promise;
        try {
            const card = await promise;
            if (fetchId === this.fetchCount) {
                this.state.card = card;
                this.state.error = null;
            }
        } catch (error) {
            if (fetchId === this.fetchCount) {
                this.state.error = error.data?.message || error.message || String(error);
            }
        } finally {
            if (this.loading === promise) {
                this.loading = null;
            }
        }
        if (this.stale && !this.loading) {
            this.stale = false;
            await this.load(this.props.partnerId);
        }
    }

    openRecord(item) {
        if (item.res_model && item.res_id) {
            this.action.doAction({
                type: "ir.actions.act_window",
                res_model: item.res_model,
                res_id: item.res_id,
                views: item.views || [[false, "form"]],
            });
        }
    }

    openSection(section) {
        if (section.action) {
            this.action.doAction(section.action);
        }
    }
}

export class CustomerCardWidget extends Component {
    static template = "atelier_base.CustomerCardWidget";
    static components = { CustomerCard };
    static props = { ...standardWidgetProps };
}

registry.category("view_widgets").add("atelier_customer_card", {
    component: CustomerCardWidget,
});
