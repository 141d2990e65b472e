import { registry } from "@web/core/registry";
import { postSignedEvent } from "@atelier_cti/../tests/tours/atelier_cti_tour";

/* The test gives the line this code and secret. */
const LINE = { line: "ctib-tour-line", secret: "ctib-tour-secret-0123456789abcdef" };
const POPUP = ".o_atelier_call_popup.o_atelier_call_expanded";

registry.category("web_tour.tours").add("atelier_cti_booking_tour", {
    steps: () => [
        {
            content: "The web client is loaded",
            trigger: ".o_main_navbar",
        },
        {
            content: "A known client calls",
            trigger: ".o_main_navbar",
            run: () =>
                postSignedEvent(
                    {
                        event_id: `ctib-ringing-${Date.now()}`,
                        event: "ringing",
                        call_id: "ctib-call-1",
                        from: "+33 6 12 34 56 78",
                        to: "+33 4 72 00 00 01",
                        at: new Date().toISOString(),
                    },
                    LINE
                ),
        },
        {
            content: "Her card has no appointment yet",
            trigger: `${POPUP} .o_atelier_customer_card [data-section=appointments] .o_atelier_card_empty`,
        },
        // --- the three clicks, with the defaults ---------------------------
        {
            content: "Click 1: Book",
            trigger: `${POPUP}:has(.o_atelier_call_partner_name:contains(Jeanne Client)) .o_atelier_call_book`,
            run: "click",
        },
        {
            content: "The first day with a free slot is chosen; each slot names its technician",
            trigger: `${POPUP} .o_atelier_call_day.btn-primary`,
        },
        {
            content: "Click 2: the first slot",
            trigger: `${POPUP} .o_atelier_call_slots .o_atelier_call_slot:first:has(.o_atelier_call_slot_technician:contains(Gaetan))`,
            run: "click",
        },
        {
            content: "Click 3: confirm, the technician named",
            trigger: `${POPUP} .o_atelier_call_booking_confirm:has(.o_atelier_call_booking_confirm_technician:contains(Gaetan)) .o_atelier_call_booking_confirm_button`,
            run: "click",
        },
        {
            content: "The appointment is confirmed in the pop-up",
            trigger: `${POPUP} .o_atelier_call_booked:contains(Gaetan)`,
        },
        {
            content: "and on her card at once",
            trigger: `${POPUP} .o_atelier_customer_card [data-section=appointments] .o_atelier_card_item`,
        },
        // --- another day, another technician, a second thought ------------
        {
            content: "Book again",
            trigger: `${POPUP} .o_atelier_call_book`,
            run: "click",
        },
        {
            content: "Choose the second day offered",
            trigger: `${POPUP} .o_atelier_call_day:eq(1)`,
            run: "click",
        },
        {
            content: "and Hugo",
            trigger: `${POPUP} .o_atelier_call_day:eq(1).btn-primary`,
            run: () => {
                const select = document.querySelector(
                    `${POPUP} .o_atelier_call_booking_technician`
                );
                const hugo = [...select.options].find((o) => o.text === "Hugo");
                select.value = hugo.value;
                select.dispatchEvent(new Event("change"));
            },
        },
        {
            content: "Pick Hugo's first slot",
            trigger: `${POPUP} .o_atelier_call_slot:first:has(.o_atelier_call_slot_technician:contains(Hugo))`,
            run: "click",
        },
        {
            content: "On second thought, back to the slots",
            trigger: `${POPUP} .o_atelier_call_booking_back`,
            run: "click",
        },
        {
            content: "Pick it again",
            trigger: `${POPUP} .o_atelier_call_slot:first:has(.o_atelier_call_slot_technician:contains(Hugo))`,
            run: "click",
        },
        {
            content: "Confirm",
            trigger: `${POPUP} .o_atelier_call_booking_confirm_button`,
            run: "click",
        },
        {
            content: "Booked with Hugo",
            trigger: `${POPUP} .o_atelier_call_booked:contains(Hugo)`,
        },
        {
            content: "The card lists both appointments",
            trigger: `${POPUP} .o_atelier_customer_card [data-section=appointments] .badge:contains(2)`,
        },
    ],
});
