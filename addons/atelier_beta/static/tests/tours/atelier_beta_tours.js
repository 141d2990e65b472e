import { registry } from "@web/core/registry";

/* A visitor comes through a friend's referral link and signs up. */
registry.category("web_tour.tours").add("atelier_beta_signup_tour", {
    steps: () => [
        {
            content: "The referral code of the link is in the form",
            trigger: ".o_atelier_beta_signup input[name='referral_code']:value(/^[2-9A-Z]{8}$/)",
        },
        {
            content: "The page gave this browser a device id",
            trigger: ".o_atelier_beta_signup input[name='device_id']:not(:visible):value(/^[0-9a-f-]{36}$/)",
        },
        {
            content: "Type a name",
            trigger: "input[name='name']",
            run: "edit Inès Visiteuse",
        },
        {
            content: "Type an e-mail address",
            trigger: "input[name='email']",
            run: "edit ines.visiteuse@example.com",
        },
        {
            content: "Choose a region",
            trigger: "select[name='region']",
            run: "select pdl",
        },
        {
            content: "Type the make",
            trigger: "input[name='vehicle_make']",
            run: "edit Dacia",
        },
        {
            content: "Choose the fuel",
            trigger: "select[name='fuel_type']",
            run: "select lpg",
        },
        {
            content: "Type the year",
            trigger: "input[name='vehicle_year']",
            run: "edit 2018",
        },
        {
            content: "A young driver",
            trigger: "label[for='o_atelier_profile_young_driver']",
            run: "click",
        },
        {
            content: "Join the waitlist",
            trigger: "button.o_atelier_submit",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "Asked to confirm the address",
            trigger: ".o_atelier_beta_check_inbox:contains('ines.visiteuse@example.com')",
        },
    ],
});

/* The visitor opens the link of the confirmation e-mail. */
registry.category("web_tour.tours").add("atelier_beta_confirm_tour", {
    steps: () => [
        {
            content: "Confirm the address",
            trigger: "button.o_atelier_optin_confirm",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "The place on the waitlist is shown",
            trigger: ".o_atelier_beta_position:contains(/^\\d+$/)",
        },
        {
            content: "With a referral link of one's own",
            trigger: ".o_atelier_beta_referral_link:value(/\\/beta\\?ref=[2-9A-Z]{8}$/)",
        },
    ],
});

/* An invited tester accepts, then posts a bug. */
registry.category("web_tour.tours").add("atelier_beta_invitation_tour", {
    steps: () => [
        {
            content: "Choose a password",
            trigger: "input[name='password']",
            run: "edit beta-tour-pass-1",
        },
        {
            content: "Type it again",
            trigger: "input[name='confirm_password']",
            run: "edit beta-tour-pass-1",
        },
        {
            content: "Join the beta",
            trigger: "button.o_atelier_beta_accept",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "Welcome to the beta",
            trigger: ".o_atelier_beta_welcome",
        },
        {
            content: "Post feedback",
            trigger: "a.o_atelier_beta_new_feedback",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "A bug",
            trigger: "label[for='o_atelier_kind_bug']",
            run: "click",
        },
        {
            content: "Its title",
            trigger: "input[name='name']",
            run: "edit Le scan s'arrête à 80 %",
        },
        {
            content: "What happened",
            trigger: "textarea[name='description']",
            run: "edit Sur ma Clio diesel, la lecture des codes s'arrête à chaque fois.",
        },
        {
            content: "Send",
            trigger: "button.o_atelier_beta_post",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "Thanked, no points yet",
            trigger: ".o_atelier_beta_posted",
        },
    ],
});

/* A member of the team accepts the bug in the back office. */
registry.category("web_tour.tours").add("atelier_beta_accept_feedback_tour", {
    steps: () => [
        {
            content: "The bug is new",
            trigger: ".o_form_view .o_statusbar_status button.o_arrow_button_current:contains('New')",
        },
        {
            content: "Accept it",
            trigger: ".o_form_view button.o_atelier_beta_accept_feedback",
            run: "click",
        },
        {
            content: "Accepted",
            trigger: ".o_form_view .o_statusbar_status button.o_arrow_button_current:contains('Accepted')",
        },
        {
            content: "The author got their karma",
            trigger: ".o_form_view .o_field_widget[name='karma_granted']:contains('50')",
        },
    ],
});
