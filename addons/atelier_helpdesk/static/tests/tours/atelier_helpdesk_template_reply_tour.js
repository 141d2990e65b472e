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
            content: "The templates that fit the ticket are suggested above the reply box",
            trigger: ".o-mail-Composer .o_atelier_reply_template_chips:contains(Suggested templates)",
        },
        {
            content: "The others stay in the menu",
            trigger: ".o-mail-Composer button[name='atelier-reply-templates']",
        },
        {
            content: "Pick the 'missing information' reply: one click",
            trigger: ".o_atelier_reply_template_chip:contains('Informations manquantes')",
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
            content: "The reply is in the history, filled and signed",
            trigger: ".o-mail-Message-body:contains('il nous manque quelques informations'):contains('Bonjour Tour Customer'):contains('Claire Tour')",
        },
    ],
});
