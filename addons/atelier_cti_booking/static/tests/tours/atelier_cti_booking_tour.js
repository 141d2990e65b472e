import { registry } from "@web/core/registry";
import { postSignedEvent } from "@atelier_cti/../tests/tours/atelier_cti_tour";

/* The test gives the line this code and secret. */
const LINE = { line: "ctib-tour-line", secret: "ctib-tour-secret-0123456789abcdef" };

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
            content: "The pop-up shows the caller; Claire clicks Book",
            trigger: ".o_atelier_call_popup:has(.o_atelier_call_partner_name:contains(Jeanne Client)) .o_atelier_call_book",
            run: "click",
        },
        {
            content: "The next free slots are offered; she picks the first",
            trigger: ".o_atelier_call_popup .o_atelier_call_slots .o_atelier_call_slot:first",
            run: "click",
        },
        {
            content: "The appointment is confirmed in the pop-up",
            trigger: ".o_atelier_call_popup .o_atelier_call_booked",
        },
    ],
});
