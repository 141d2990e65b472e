import { registry } from "@web/core/registry";

registry.category("web_tour.tours").add("atelier_helpdesk_template_reply_tour", {
    steps: () => [
        {
            content: "The ticket is open",
            trigger: ".o_form_view .o-mail-Chatter",
        },
        {
            content: "Reply to the client",
            trigger: "button:contains(Send message)",
            run: "click",
        },
        {
            content: "The templates are one click from the reply box",
            trigger: ".o-mail-Composer button[name='atelier-reply-templates']",
            run: "click",
        },
        {
            content: "Pick the 'quote sent' reply",
            trigger: ".o_atelier_reply_template:contains('devis envoyé')",
            run: "click",
        },
        {
            content: "The reply is filled from the ticket",
            trigger: ".o-mail-Composer-input:value(Bonjour Tour Customer)",
        },
        {
            content: "and signed by the sender",
            trigger: ".o-mail-Composer-input:value(Cordialement,\nClaire Tour)",
        },
        {
            content: "Send it",
            trigger: ".o-mail-Composer-send:enabled",
            run: "click",
        },
        {
            content: "The reply is in the history",
            trigger: ".o-mail-Message-body:contains('Vous trouverez ci-joint notre devis')",
        },
    ],
});
