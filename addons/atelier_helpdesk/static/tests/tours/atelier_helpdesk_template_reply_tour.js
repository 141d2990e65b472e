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
            content: "Open the full composer",
            trigger: "button[title='Open Full Composer']",
            run: "click",
        },
        {
            content: "Open the template list (once the selector has loaded them)",
            trigger: ".modal .mail-composer-template-dropdown-btn",
            async run() {
                // the selector fetches its templates without awaiting them
                await new Promise((resolve) => setTimeout(resolve, 1000));
                this.anchor.click();
            },
        },
        {
            content: "Pick the 'quote sent' reply",
            trigger:
                ".mail-composer-template-dropdown.popover .o-dropdown-item:contains('devis envoyé')",
            run: "click",
        },
        {
            content: "The reply is filled from the ticket",
            trigger: ".o_field_html[name='body']:contains('Bonjour Tour Customer')",
        },
        {
            trigger: ".o_field_html[name='body']:contains('Vous trouverez ci-joint notre devis')",
        },
        {
            content: "Send it",
            trigger: ".o_mail_send",
            run: "click",
        },
        {
            content: "The reply is in the history",
            trigger: ".o-mail-Message-body:contains('Vous trouverez ci-joint notre devis')",
        },
    ],
});
