import { registry } from "@web/core/registry";

registry.category("web_tour.tours").add("atelier_knowledge_search", {
    steps: () => [
        {
            content: "Type a question in the search box",
            trigger: ".o_atelier_kb_search_input",
            run: "edit batteries",
        },
        {
            content: "Search",
            trigger: ".o_atelier_kb_search_button",
            run: "click",
        },
        {
            content: "The article about the traction battery comes with a highlighted snippet",
            trigger: ".o_atelier_kb_result:first:contains('Batterie de traction') .o_atelier_kb_snippet mark",
        },
        {
            content: "Open it",
            trigger: ".o_atelier_kb_result:first a:contains('Batterie de traction')",
            run: "click",
        },
        {
            content: "The article form opened",
            trigger: ".o_form_view .o_field_widget[name='title'] input:value('Batterie de traction : état de santé et défaillance du BMS')",
        },
    ],
});
