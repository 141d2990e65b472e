import { registry } from "@web/core/registry";

registry.category("web_tour.tours").add("atelier_helpdesk_dashboard_tour", {
    steps: () => [
        {
            content: "The dashboard opens with numbers",
            trigger: ".o_atelier_kpi_open .o_atelier_kpi_value:not(:contains('–'))",
        },
        {
            trigger: ".o_atelier_dashboard_table .o_atelier_dashboard_cell",
        },
        {
            content: "Open the tickets whose SLA is breached",
            trigger: ".o_atelier_kpi_breached",
            run: "click",
        },
        {
            content: "The late ticket is listed",
            trigger: ".o_list_view .o_data_row:contains('Tour: late ticket')",
        },
        {
            content: "Back to the dashboard",
            trigger: ".o_breadcrumb a:contains('Helpdesk dashboard')",
            run: "click",
        },
        {
            content: "Open the analysis",
            trigger: ".o_atelier_dashboard_analysis",
            run: "click",
        },
        {
            content: "A chart of open tickets per team and type",
            trigger: ".o_graph_view .o_graph_canvas_container canvas",
        },
    ],
});
