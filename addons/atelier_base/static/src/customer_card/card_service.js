import { EventBus } from "@odoo/owl";
import { registry } from "@web/core/registry";

/**
 * Tells the customer cards of a tab that what they show changed.
 *
 * Two sources: the server pushes "atelier_base/card_changed" when a record
 * shown on the card (a ticket, a booking…, any model with the
 * `atelier.card.mixin`) is created or changed; a client part calls
 * `changed(partnerIds)` after an action of its own (the call pop-up after a
 * booking, or when its call ends). Every card of one of these contacts, or
 * of a contact of the same company, fetches its sections again.
 */
export const atelierCardService = {
    dependencies: ["bus_service"],

    start(env, { bus_service }) {
        const bus = new EventBus();

        function changed(partnerIds) {
            const ids = new Set((partnerIds || []).filter(Boolean));
            if (ids.size) {
                bus.trigger("changed", { partnerIds: ids });
            }
        }

        bus_service.subscribe("atelier_base/card_changed", (payload) =>
            changed(payload.partner_ids)
        );
        bus_service.start();
        return { bus, changed };
    },
};

registry.category("services").add("atelier_card", atelierCardService);
