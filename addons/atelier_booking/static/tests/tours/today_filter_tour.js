import { registry } from "@web/core/registry";

/* "Today" is the user's day (Paris), whatever the UTC date of the bookings. */
const DAY = ".o_atelier_booking_day";

registry.category("web_tour.tours").add("atelier_booking_today_filter_tour", {
    steps: () => [
        {
            content: "The browser runs on Paris time",
            trigger: DAY,
            run() {
                const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
                if (zone !== "Europe/Paris") {
                    throw new Error(`The browser is on ${zone}, not Paris time`);
                }
            },
        },
        {
            content: "Today's 00:30 appointment is in today's list",
            trigger: `${DAY} .o_kanban_record:contains(Tot Matin)`,
        },
        {
            content: "and so is today's 22:30 one",
            trigger: `${DAY} .o_kanban_record:contains(Tard Soir)`,
        },
        {
            content: "Tomorrow's 00:30 appointment is not",
            trigger: `${DAY}:not(:has(.o_kanban_record:contains(Demain Minuit)))`,
        },
    ],
});
