import { registry } from "@web/core/registry";

/* Claire's day, tour 4 (issue #15): a session with P0301 came from the
 * bridge; from the vehicle, Claire books the repair, prefilled with the
 * code. */
registry.category("web_tour.tours").add("atelier_fleet_obd_booking_repair_tour", {
    steps: () => [
        {
            content: "The vehicle has an open code: open it",
            trigger: ".o_form_view button[name=action_atelier_open_dtcs]:contains(1)",
            run: "click",
        },
        {
            content: "P0301 from this morning's session: book its repair",
            trigger: ".o_data_row:contains(P0301) button[name=action_atelier_book_repair]",
            run: "click",
        },
        {
            content: "The booking is prefilled with the vehicle",
            trigger: ".modal .o_field_widget[name=answer_vehicle] input:value(AA-111-AA)",
        },
        {
            content: "and the code",
            trigger: ".modal .o_field_widget[name=answer_description] textarea:value(P0301)",
        },
        {
            content: "on the repair type",
            trigger: ".modal .o_field_widget[name=appointment_type_id] input:value(obdtour repair)",
        },
        {
            content: "Book the first free slot",
            trigger: ".modal .o_data_row:first .o_atelier_book_slot",
            run: "click",
        },
        {
            content: "Booked: the dialog is closed",
            trigger: "body:not(:has(.modal .o_atelier_book_slot))",
        },
    ],
});
