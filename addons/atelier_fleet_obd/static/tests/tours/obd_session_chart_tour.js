import { registry } from "@web/core/registry";

registry.category("web_tour.tours").add("atelier_obd_session_chart", {
    url: "/odoo/action-atelier_fleet_obd.atelier_obd_session_action",
    steps: () => [
        {
            content: "Open the diagnostic session",
            trigger: ".o_list_view .o_data_row:first .o_data_cell",
            run: "click",
        },
        {
            content: "One chart per measure, each titled with its unit",
            trigger: ".o_atelier_obd_chart_panel[data-pid='RPM'] canvas",
        },
        {
            trigger: ".o_atelier_obd_chart_panel[data-pid='RPM'] .o_atelier_obd_chart_title:contains('(rpm)')",
        },
        {
            trigger: ".o_atelier_obd_chart_panel[data-pid='SPEED'] .o_atelier_obd_chart_title:contains('(km/h)') ~ div canvas",
        },
        {
            trigger: ".o_atelier_obd_chart_panel[data-pid='CONTROL_MODULE_VOLTAGE'] .o_atelier_obd_chart_title:contains('(V)') ~ div canvas",
        },
        {
            content: "The statistics list the engine speed",
            trigger: ".o_atelier_obd_stats tr[data-pid='RPM']",
        },
        {
            content: "The trouble codes tab shows the code and its description",
            trigger: "a[name='page_dtcs']",
            run: "click",
        },
        {
            trigger: ".o_field_widget[name='dtc_ids'] td:contains('P0301')",
        },
        {
            trigger: ".o_field_widget[name='dtc_ids'] td:contains('Cylinder 1 misfire detected')",
        },
    ],
});
