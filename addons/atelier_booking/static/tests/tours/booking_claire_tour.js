import { registry } from "@web/core/registry";

registry.category("web_tour.tours").add("atelier_booking_claire_tour", {
    steps: () => [
        {
            content: "Book from the contact",
            trigger: ".o_form_view button.o_atelier_book_button",
            run: "click",
        },
        {
            content: "Book the first free slot offered",
            trigger: ".modal .o_field_one2many button.o_atelier_book_slot",
            run: "click",
        },
        {
            content: "The booking is confirmed",
            trigger: ".o_form_view .o_statusbar_status button.o_arrow_button_current:contains('Confirmed')",
        },
    ],
});
