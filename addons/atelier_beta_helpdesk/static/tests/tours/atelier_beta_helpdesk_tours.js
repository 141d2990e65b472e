import { registry } from "@web/core/registry";

/* After the bug is accepted, its ticket is one click away. */
registry.category("web_tour.tours").add("atelier_beta_helpdesk_ticket_tour", {
    steps: () => [
        {
            content: "Accept the bug",
            trigger: ".o_form_view button.o_atelier_beta_accept_feedback",
            run: "click",
        },
        {
            content: "The author got their karma",
            trigger: ".o_form_view .o_field_widget[name='karma_granted']:contains('50')",
        },
        {
            content: "Open its ticket",
            trigger: ".o_form_view button.o_atelier_beta_ticket",
            run: "click",
        },
        {
            content: "The ticket of the beta bug",
            trigger: ".o_form_view .o_field_widget[name='name'] input:value(/^\\[Beta\\] Le scan/)",
        },
    ],
});
