import { useState } from "@odoo/owl";
import { _t } from "@web/core/l10n/translation";
import { patch } from "@web/core/utils/patch";
import { CallPopup } from "@atelier_cti/call_popup/call_popup";

patch(CallPopup.prototype, {
    setup() {
        super.setup(...arguments);
        this.booking = useState({
            open: false,
            loading: false,
            types: [],
            typeId: false,
            slots: [],
            booked: false,
            message: "",
        });
    },

    /** Show the next free slots of the caller (first published type). */
    async openBooking() {
        if (this.booking.open) {
            this.booking.open = false;
            return;
        }
        this.booking.open = true;
        this.booking.booked = false;
        await this.loadSlots(false);
    },

    async loadSlots(typeId) {
        this.booking.loading = true;
        try {
            const data = await this.orm.call("atelier.call", "atelier_booking_slots", [
                [this.call.id],
                typeId,
            ]);
            this.booking.types = data.types;
            this.booking.typeId = data.type_id;
            this.booking.slots = data.slots;
            this.booking.message = "";
        } finally {
            this.booking.loading = false;
        }
    },

    async onBookingTypeChange(ev) {
        await this.loadSlots(parseInt(ev.target.value) || false);
    },

    /** One click on a slot: a confirmed booking for the caller. */
    async bookSlot(slot) {
        if (this.booking.loading) {
            return;
        }
        this.booking.loading = true;
        try {
            const result = await this.orm.call("atelier.call", "atelier_book_slot", [
                [this.call.id],
                this.booking.typeId,
                slot.start,
            ]);
            if (result.booked) {
                this.booking.booked = result;
                this.booking.open = false;
                this.notification.add(_t("Appointment booked: %s", result.label), {
                    type: "success",
                });
            } else {
                this.booking.message = result.message;
                this.booking.slots = result.slots;
            }
        } finally {
            this.booking.loading = false;
        }
    },
});
