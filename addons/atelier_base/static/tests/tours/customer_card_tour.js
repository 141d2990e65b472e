import { registry } from "@web/core/registry";

registry.category("web_tour.tours").add("atelier_base_customer_card", {
    steps: () => [
        {
            content: "The card is a panel at the top of the form, shown without a click",
            trigger: ".o_form_sheet .o_atelier_card_panel .o_atelier_customer_card_panel",
        },
        {
            content: "The contact section lists the mobile as a phone link",
            trigger: ".o_atelier_card_panel [data-section='contact'] a[href='tel:06 12 34 56 78']",
        },
        {
            content: "The company is a link to the company",
            trigger: ".o_atelier_card_panel [data-section='contact'] a:contains('Garage Dupont')",
            run: "click",
        },
        {
            content: "The company form opened",
            trigger: ".o_form_view .o_field_widget[name='name'] textarea:value('Garage Dupont'), .o_breadcrumb:contains('Garage Dupont')",
        },
    ],
});
