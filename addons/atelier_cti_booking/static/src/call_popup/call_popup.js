import { useState } from "@odoo/owl";
import { _t } from "@web/core/l10n/translation";
import { browser } from "@web/core/browser/browser";
import { patch } from "@web/core/utils/patch";
import { CallPopup } from "@atelier_cti/call_popup/call_popup";

// the appointment type Claire booked last: the default of the next booking
const LAST_TYPE_KEY = "atelier_cti_booking.last_type_id";

/**
 * "Book" in the call pop-up: type (default: the last one booked), technician
 * (default: any, each slot names the one it books), day (default: the first
 * with a free slot), then a slot and a confirmation. Three clicks with the
 * defaults: Book, a slot, Confirm.
 */
patch(CallPopup.prototype, {
    setup() {
        super.setup(...arguments);
        this.booking = useState({
            open: false,
            loading: false,
            types: [],
            typeId: false,
            technicians: [],
            technicianId: false,
            days: [],
            day: false,
            dayLabel: "",
            slots: [],
            // the slot picked, waiting for the confirmation
            selected: null,
            booked: false,
            message: "",
        });
    },

    get bookingTypeName() {
        const type = this.booking.types.find((t) => t.id === this.booking.typeId);
        return type ? type.name : "";
    },

    async openBooking() {
        if (this.booking.open) {
            this.booking.open = false;
            return;
        }
        this.booking.open = true;
        this.booking.booked = false;
        const lastType = parseInt(browser.localStorage.getItem(LAST_TYPE_KEY)) || false;
        await this.loadSlots({ typeId: lastType });
    },

    /** Fetch the step's data; what is not given keeps its default. */
    async loadSlots({ typeId = this.booking.typeId, day = false, technicianId = false } = {}) {
        this.booking.loading = true;
        this.booking.selected = null;
        try {
            const data = await this.orm.call("atelier.call", "atelier_booking_slots", [
                [this.call.id],
                typeId,
                day,
                technicianId,
            ]);
            Object.assign(this.booking, {
                types: data.types,
                typeId: data.type_id,
                technicians: data.technicians,
                technicianId: data.technician_id,
                days: data.days,
                day: data.day,
                dayLabel: data.day_label || "",
                slots: data.slots,
                message: "",
            });
        } finally {
            this.booking.loading = false;
        }
    },

    async onBookingTypeChange(ev) {
        await this.loadSlots({ typeId: parseInt(ev.target.value) || false });
    },

    async onBookingTechnicianChange(ev) {
        await this.loadSlots({
            technicianId: parseInt(ev.target.value) || false,
            day: this.booking.day,
        });
    },

    async pickDay(day) {
        if (day) {
            await this.loadSlots({ day, technicianId: this.booking.technicianId });
        }
    },

    /** A slot picked: ask for the confirmation (nothing is booked yet). */
    selectSlot(slot) {
        this.booking.selected = slot;
        this.booking.message = "";
    },

    cancelSlot() {
        this.booking.selected = null;
    },

    async confirmSlot() {
        const slot = this.booking.selected;
        if (!slot || this.booking.loading) {
            return;
        }
        this.booking.loading = true;
        try {
            const result = await this.orm.call("atelier.call", "atelier_book_slot", [
                [this.call.id],
                this.booking.typeId,
                slot.start,
                slot.technician_id,
            ]);
            if (result.booked) {
                browser.localStorage.setItem(LAST_TYPE_KEY, String(this.booking.typeId));
                this.booking.booked = result;
                this.booking.open = false;
                this.booking.selected = null;
                this.refreshCard();
                this.notification.add(
                    _t("Appointment booked: %(slot)s with %(technician)s", {
                        slot: result.label,
                        technician: result.technician,
                    }),
                    { type: "success" }
                );
            } else {
                this.booking.selected = null;
                this.booking.message = result.message;
                this.booking.slots = result.slots;
            }
        } finally {
            this.booking.loading = false;
        }
    },
});
