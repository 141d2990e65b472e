import { registry } from "@web/core/registry";

registry.category("web_tour.tours").add("atelier_helpdesk_ai_triage_draft_tour", {
    steps: () => [
        {
            content: "The triage box shows the suggestion and why",
            trigger: ".o_atelier_ai_triage:contains('devis')",
        },
        {
            content: "Accept it in one click",
            trigger: ".o_atelier_ai_triage button.o_atelier_ai_accept",
            run: "click",
        },
        {
            content: "The box is gone once the triage is decided",
            trigger: ".o_form_view:not(:has(.o_atelier_ai_triage:visible))",
        },
        {
            content: "Ask for a draft reply",
            trigger: "button.o_atelier_ai_draft_button",
            run: "click",
        },
        {
            content: "The draft starts from the quote template",
            trigger: ".modal .o_field_html[name='body']:contains('Vous trouverez ci-joint notre devis')",
        },
        {
            content: "It is signed by Claire",
            trigger: ".modal .o_field_html[name='body']:contains('Claire Tour')",
        },
        {
            content: "Send it",
            trigger: ".modal .o_mail_send",
            run: "click",
        },
        {
            content: "The reply is in the history",
            trigger: ".o-mail-Message-body:contains('Vous trouverez ci-joint notre devis')",
        },
    ],
});
