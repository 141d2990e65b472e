import { Component, onWillStart, onWillUpdateProps, useState } from "@odoo/owl";
import { registry } from "@web/core/registry";
import { useService } from "@web/core/utils/hooks";
import { standardWidgetProps } from "@web/views/widgets/standard_widget_props";

/**
 * The customer card: the sections returned by res.partner.atelier_get_card(),
 * which every Atelier addon extends server-side. Used on the partner form and
 * inside the call pop-up (atelier_cti).
 */
export class CustomerCard extends Component {
    static template = "atelier_base.CustomerCard";
    static props = {
        partnerId: { type: Number },
        compact: { type: Boolean, optional: true },
    };

    setup() {
        this.orm = useService("orm");
        this.action = useService("action");
        this.state = useState({ card: null, error: null });
        onWillStart(() => this.load(this.props.partnerId));
        onWillUpdateProps((next) => {
            if (next.partnerId !== this.props.partnerId) {
                return this.load(next.partnerId);
            }
        });
    }

    async load(partnerId) {
        if (!partnerId) {
            this.state.card = null;
            return;
        }
        try {
            this.state.card = await this.orm.call("res.partner", "atelier_get_card", [[partnerId]]);
            this.state.error = null;
        } catch (error) {
            this.state.error = error.data?.message || error.message || String(error);
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
