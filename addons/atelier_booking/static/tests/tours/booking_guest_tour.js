import { registry } from "@web/core/registry";

registry.category("web_tour.tours").add("atelier_booking_guest_tour", {
    url: "/book",
    steps: () => [
        {
            content: "Pick the appointment type",
            trigger: ".o_atelier_booking_type:contains('bkhttp diagnostic') a.o_atelier_book_tz_link",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "Pick the first free slot",
            trigger: ".o_atelier_booking_slots button.o_atelier_slot",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "Give a name",
            trigger: "form.o_atelier_booking_details input[name=name]",
            run: "edit Guest Tourist",
        },
        {
            trigger: "form.o_atelier_booking_details input[name=email]",
            run: "edit guest.tourist@example.com",
        },
        {
            trigger: "form.o_atelier_booking_details input[name=phone]",
            run: "edit 06 98 76 54 32",
        },
        {
            trigger: "form.o_atelier_booking_details input[name=vehicle]",
            run: "edit Peugeot 208 AB-123-CD",
        },
        {
            content: "Confirm",
            trigger: "button.o_atelier_booking_confirm",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "The appointment is confirmed",
            trigger: ".o_atelier_booking_confirmed",
        },
    ],
});
