import { registry } from "@web/core/registry";

// A visitor takes the placement test, leaves an e-mail and gets a path.
registry.category("web_tour.tours").add("atelier_academy_placement_tour", {
    steps: () => [
        {
            content: "Start the placement test",
            trigger: 'button.btn:contains("Start")',
            run: "click",
        },
        {
            content: "Leave an e-mail",
            trigger: 'div.js_question-wrapper:contains("Votre e-mail") input',
            run: "edit visiteur.tour@example.com",
        },
        {
            trigger: 'button[value="next"]',
            run: "click",
        },
        {
            content: "Answer the combustion engine question right",
            trigger: 'div.js_question-wrapper:contains("thermal 0") label:contains("Juste")',
            run: "click",
        },
        {
            trigger: 'button[value="next"]',
            run: "click",
        },
        {
            content: "Answer the electric question wrong",
            trigger: 'div.js_question-wrapper:contains("electric 0") label:contains("Faux")',
            run: "click",
        },
        {
            trigger: 'button[value="finish"]',
            run: "click",
        },
        {
            content: "Confirm the submission",
            trigger: ".modal-footer button.btn-primary",
            run: "click",
        },
        {
            content: "The recommended path and why",
            trigger: ".o_atelier_placement_result .o_atelier_placement_path:contains('Diagnostic seul')",
        },
        {
            trigger: ".o_atelier_placement_scores tr[data-domain='thermal']:contains('100 %')",
        },
        {
            trigger: ".o_atelier_placement_scores tr[data-domain='electric']:contains('0 %')",
        },
    ],
});
