import { registry } from "@web/core/registry";

registry.category("web_tour.tours").add("atelier_desk_nothing_forgotten_tour", {
    steps: () => [
        {
            content: "The counters say what is waiting",
            trigger: ".o_search_panel_category_value:contains('Ticket without owner') .o_search_panel_counter:contains('1')",
        },
        {
            content: "The missed call nobody will call back is listed",
            trigger: ".o_data_row:contains('Missed call without call-back'):contains('Tour: Lucie')",
        },
        {
            content: "A line opens the record behind it",
            trigger: ".o_data_row:contains('Tour: ticket without owner') td.o_data_cell[name='name']",
            run: "click",
        },
        {
            content: "The ticket itself, ready to be taken",
            trigger: ".o_form_view .o_breadcrumb .active:contains('Tour: ticket without owner')",
        },
    ],
});

registry.category("web_tour.tours").add("atelier_desk_timeline_tour", {
    steps: () => [
        {
            content: "Open the contact's timeline",
            trigger: ".o_notebook .nav-link:contains('Timeline')",
            run: "click",
        },
        {
            content: "Calls, e-mails, tickets and appointments in one list",
            trigger: ".o_atelier_timeline_item[data-kind='ticket']:contains('Tour: ticket without owner')",
        },
        {
            trigger: ".o_atelier_timeline_item[data-kind='call']",
        },
        {
            content: "Only the calls",
            trigger: ".o_atelier_timeline_kind[data-kind='call']",
            run: "click",
        },
        {
            trigger: ".o_atelier_timeline:not(:has(.o_atelier_timeline_item[data-kind='ticket'])) .o_atelier_timeline_item[data-kind='call']",
        },
        {
            content: "The next page",
            trigger: ".o_atelier_timeline_more",
            run: "click",
        },
        {
            content: "The oldest call is on the second page",
            trigger: ".o_atelier_timeline_item:contains('Tour: first call')",
        },
    ],
});

registry.category("web_tour.tours").add("atelier_desk_dashboard_tour", {
    steps: () => [
        {
            content: "The figures open with numbers",
            trigger: ".o_atelier_kpi_calls .o_atelier_kpi_value:contains('10')",
        },
        {
            content: "Next week's calls, hour by hour",
            trigger: ".o_atelier_desk_forecast tbody td:contains('3')",
        },
        {
            content: "The client at risk, with its reasons",
            trigger: ".o_atelier_desk_risk_client:contains('Tour Garage') .o_atelier_desk_risk_reason",
        },
        {
            content: "Over the last 7 days",
            trigger: ".o_atelier_desk_period button[data-days='7']",
            run: "click",
        },
        {
            trigger: ".o_atelier_desk_period button.btn-primary[data-days='7']",
        },
        {
            content: "The missed calls open",
            trigger: ".o_atelier_kpi_missed_rate",
            run: "click",
        },
        {
            trigger: ".o_list_view .o_data_row",
        },
    ],
});
