import { registry } from "@web/core/registry";

/* Gaetan on his phone (issue #15, tour 6, second half): from the client's
 * card to the vehicle's last diagnostic, and a ticket from a trouble code. */
registry.category("web_tour.tours").add("atelier_fleet_obd_helpdesk_technician_tour", {
    steps: () => [
        {
            content: "The client's card shows the vehicle and its open code",
            trigger: ".o_atelier_card_panel [data-section=vehicles] .o_atelier_card_item:contains(P0301) a",
            run: "click",
        },
        {
            content: "The vehicle: its diagnostics",
            trigger: ".o_form_view .o_notebook .nav-link:contains(Diagnostics)",
            run: "click",
        },
        {
            content: "The last diagnostic is there",
            trigger: ".o_form_view .o_field_widget[name=atelier_last_session_id]",
        },
        {
            content: "with its open trouble code: a ticket from it",
            trigger: ".o_field_widget[name=atelier_open_dtc_ids] .o_data_row:contains(P0301) button[name=action_atelier_new_ticket]",
            run: "click",
        },
        {
            content: "The ticket names the code and the vehicle",
            trigger: ".o_form_view .o_field_widget[name=name] input:value(P0301)",
        },
        {
            trigger: ".o_form_view .o_form_button_save",
            run: "click",
        },
        {
            content: "Saved",
            trigger: ".o_form_view .o_breadcrumb:contains(P0301), .o_form_view .o_form_saved",
        },
    ],
});
