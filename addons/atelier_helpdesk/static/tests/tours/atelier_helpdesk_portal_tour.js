import { registry } from "@web/core/registry";

registry.category("web_tour.tours").add("atelier_helpdesk_portal_tour", {
    url: "/new/ticket",
    steps: () => [
        {
            content: "Describe the problem",
            trigger: "input[name='subject']",
            run: "edit Tour: my heater is broken",
        },
        {
            content: "Choose the kind of request",
            trigger: "select[name='type']",
            run: "selectByLabel Quote request",
        },
        {
            trigger: "textarea[name='description']",
            run: "edit It makes a strange noise since Monday.",
        },
        {
            content: "Send the ticket",
            trigger: "form[action='/submitted/ticket'] button[type='submit']",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "The client lands on the ticket",
            trigger: "#helpdesk_ticket_content h3:contains('Tour: my heater is broken')",
        },
        {
            content: "Back to the list of tickets",
            trigger: ".o_portal_submenu a[href^='/my/tickets']",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "The new ticket is listed",
            trigger: "table a:contains('Tour: my heater is broken')",
        },
    ],
});
