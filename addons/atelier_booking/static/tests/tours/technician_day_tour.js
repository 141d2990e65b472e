import { registry } from "@web/core/registry";

/* Gaetan's day on his phone (issue #15, tour 6), at 390x844. */
const DAY = ".o_atelier_booking_day";

registry.category("web_tour.tours").add("atelier_booking_technician_day_tour", {
    steps: () => [
        {
            content: "Today's appointments, with the address",
            trigger: `${DAY} .o_kanban_record:contains(Jeanne Client) .o_atelier_booking_address:contains(Garibaldi)`,
        },
        {
            content: "and a map link",
            trigger: `${DAY} .o_kanban_record:contains(Jeanne Client) a.o_atelier_booking_map[href*='openstreetmap.org/search']`,
        },
        {
            content: "Tomorrow's appointment is not in today's list",
            trigger: `${DAY}:not(:has(.o_kanban_record:contains(Demain Client)))`,
        },
        {
            content: "Open Jeanne's appointment",
            trigger: `${DAY} .o_kanban_record:contains(Jeanne Client)`,
            run: "click",
        },
        {
            content: "The map is on the appointment too",
            trigger: ".o_form_view .o_field_widget[name=map_url] a[href*='openstreetmap.org/search']",
        },
        {
            content: "Open the client's card",
            trigger: ".o_form_view .o_field_widget[name=partner_id] a:contains(Jeanne Client)",
            run: "click",
        },
        {
            content: "Her card: her next appointments",
            trigger: ".o_form_view .o_atelier_card_panel [data-section=appointments]",
        },
        {
            content: "Back to the appointment",
            trigger: ".o_back_button",
            run: "click",
        },
        {
            content: "The job is done",
            trigger: ".o_form_view button[name=action_done]",
            run: "click",
        },
        {
            trigger: ".o_form_view .o_statusbar_status:contains(Done)",
        },
        {
            content: "Back to the day",
            trigger: ".o_back_button",
            run: "click",
        },
        {
            content: "The next client did not come",
            trigger: `${DAY} .o_kanban_record:contains(Marc Client)`,
            run: "click",
        },
        {
            content: "On a phone, the other buttons are under 'More'",
            trigger: ".o_form_view .o_statusbar_buttons button[title=More]",
            run: "click",
        },
        {
            trigger: ".o-dropdown--menu button[name=action_no_show]",
            run: "click",
        },
        {
            content: "Marked no-show",
            trigger: ".o_form_view .o_statusbar_status:contains(No show)",
        },
    ],
});
