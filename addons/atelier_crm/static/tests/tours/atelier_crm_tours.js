import { registry } from "@web/core/registry";

/* A visitor asks for the guide (the test starts the tour on its page). */
registry.category("web_tour.tours").add("atelier_crm_guide_tour", {
    steps: () => [
        {
            content: "The guide's page is shown",
            trigger: ".o_atelier_crm_guide h1:contains('Reading your vehicle')",
        },
        {
            content: "Type a first name",
            trigger: "input[name='name']",
            run: "edit Hugo",
        },
        {
            content: "Type an e-mail address",
            trigger: "input[name='email']",
            run: "edit hugo.visiteur@example.com",
        },
        {
            content: "Agree to the advice e-mails",
            trigger: "input[name='consent_sequence']",
            run: "check",
        },
        {
            content: "Ask for the guide",
            trigger: "button.o_atelier_submit",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "Asked to confirm the address",
            trigger: ".o_atelier_crm_check_inbox:contains('hugo.visiteur@example.com')",
        },
    ],
});

/* The visitor opens the link of the confirmation e-mail. */
registry.category("web_tour.tours").add("atelier_crm_optin_tour", {
    steps: () => [
        {
            content: "Confirm the address",
            trigger: "button.o_atelier_optin_confirm",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "Confirmed: the guide is on its way",
            trigger: ".o_atelier_crm_optin_done:contains('has been sent')",
        },
    ],
});

/* A salesperson works the advisory call of a hot lead and wins it. */
registry.category("web_tour.tours").add("atelier_crm_advisory_call_tour", {
    steps: () => [
        {
            content: "The lead has its advisory call planned",
            trigger: ".o_form_view .o-mail-Activity:contains('Advisory call')",
        },
        {
            content: "Its score explains itself",
            trigger: ".o_atelier_lead_score:contains('60')",
        },
        {
            content: "Open the qualification script",
            trigger: "button.o_atelier_start_qualification",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "Start the script",
            trigger: "button.btn:contains('Start')",
            run: "click",
        },
        {
            content: "A learner",
            trigger: "div.js_question-wrapper:contains('Who is the contact') label:contains('A learner who wants to train')",
            run: "click",
        },
        {
            content: "Wants the Expert package",
            trigger: "div.js_question-wrapper:contains('What do they need') label:contains('Coaching package Expert')",
            run: "click",
        },
        {
            content: "Starts within a month",
            trigger: "div.js_question-wrapper:contains('When do they want to start') label:contains('Within a month')",
            run: "click",
        },
        {
            content: "Notes of the call",
            trigger: "div.js_question-wrapper:contains('Notes') textarea",
            run: "edit Disponible le soir, veut commencer en avril.",
        },
        {
            content: "Submit the script",
            trigger: "button[value='finish']",
            run: "click",
        },
        {
            content: "Confirm",
            trigger: ".modal-footer button.btn-primary",
            run: "click",
        },
        {
            content: "Back to the opportunity",
            trigger: "a.o_atelier_back_to_lead",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "The opportunity moved to 'Offer sent'",
            trigger: ".o_form_view .o_statusbar_status button.o_arrow_button_current:contains('Offer sent')",
        },
        {
            content: "Mark it won",
            trigger: ".o_form_view button[name='action_set_won_rainbowman']",
            run: "click",
        },
        {
            content: "Won",
            trigger: ".o_form_view .ribbon:contains('Won')",
        },
    ],
});
