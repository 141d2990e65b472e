import { Component, onMounted, onWillStart, onWillUnmount, useRef, useState } from "@odoo/owl";
import { loadBundle } from "@web/core/assets";
import { localization } from "@web/core/l10n/localization";
import { registry } from "@web/core/registry";
import { useService } from "@web/core/utils/hooks";
import { standardWidgetProps } from "@web/views/widgets/standard_widget_props";

const COLOR = "#1f5f9e";

/**
 * The readings of a diagnostic session as small multiples: one small chart per
 * measure (Chart.js, shipped by Odoo), each with its unit and its own scale
 * (atelier.obd.session.atelier_chart_data() computes it, so that a narrow
 * 13.9-14.1 V band stays flat on a sane range), all on the same time axis so
 * that they line up; then the min/avg/max table.
 */
export class ObdChart extends Component {
    static template = "atelier_fleet_obd.ObdChart";
    static props = { ...standardWidgetProps };

    setup() {
        this.orm = useService("orm");
        this.panelsRef = useRef("panels");
        this.state = useState({ data: null, error: null });
        this.charts = [];
        onWillStart(async () => {
            await loadBundle("web.chartjs_lib");
            await this.load();
        });
        onMounted(() => this.renderCharts());
        onWillUnmount(() => this.charts.forEach((chart) => chart.destroy()));
    }

    get resId() {
        return this.props.record.resId;
    }

    async load() {
        if (!this.resId) {
            return;
        }
        try {
            this.state.data = await this.orm.call("atelier.obd.session", "atelier_chart_data", [
                [this.resId],
            ]);
        } catch (error) {
            this.state.error = error.data?.message || error.message || String(error);
        }
    }

    /** A number in the user's language: 3 500, 13,8. */
    format(value, digits = 1) {
        if (value === null || value === undefined) {
            return "";
        }
        const [whole, decimals] = Math.abs(value).toFixed(digits).split(".");
        const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, localization.thousandsSep || "");
        const sign = value < 0 && Number(value.toFixed(digits)) !== 0 ? "-" : "";
        return sign + grouped + (decimals ? localization.decimalPoint + decimals : "");
    }

    renderCharts() {
        const data = this.state.data;
        if (!data || !data.series.length || !this.panelsRef.el) {
            return;
        }
        for (const serie of data.series) {
            const canvas = this.panelsRef.el.querySelector(
                `.o_atelier_obd_chart_panel[data-pid='${serie.pid}'] canvas`
            );
            if (!canvas) {
                continue;
            }
            const yTick = (value) => this.format(value, Math.max(0, serie.digits - 1));
            // a time label ("08:26:07") takes about 60 px: on a phone, fewer
            // of them, apart, rather than eight run together
            const xTicks = Math.max(2, Math.min(8, Math.floor((canvas.clientWidth - 52) / 80)));
            this.charts.push(
                new Chart(canvas, {
                    type: "line",
                    data: {
                        datasets: [
                            {
                                label: serie.label,
                                data: serie.points.map(([x, y]) => ({ x, y })),
                                borderColor: COLOR,
                                backgroundColor: COLOR,
                                borderWidth: 1.5,
                                pointRadius: 0,
                            },
                        ],
                    },
                    options: {
                        animation: false,
                        parsing: false,
                        normalized: true,
                        maintainAspectRatio: false,
                        interaction: { mode: "nearest", axis: "x", intersect: false },
                        plugins: {
                            legend: { display: false },
                            tooltip: {
                                callbacks: {
                                    label: (item) =>
                                        `${this.format(item.parsed.y, serie.digits)} ${serie.unit}`,
                                },
                            },
                        },
                        scales: {
                            x: {
                                type: "time",
                                min: data.x_min,
                                max: data.x_max,
                                time: {
                                    tooltipFormat: "HH:mm:ss",
                                    displayFormats: { minute: "HH:mm", second: "HH:mm:ss" },
                                },
                                ticks: {
                                    maxTicksLimit: xTicks,
                                    maxRotation: 0,
                                    autoSkipPadding: 16,
                                },
                            },
                            y: {
                                min: serie.y_min,
                                max: serie.y_max,
                                // the same width for every panel: the plots line up
                                afterFit: (scale) => {
                                    scale.width = 52;
                                },
                                // round ticks only, not the scale's own ends
                                // the unit is in the panel's title, above
                                ticks: { maxTicksLimit: 5, includeBounds: false, callback: yTick },
                            },
                        },
                    },
                })
            );
        }
    }
}

registry.category("view_widgets").add("atelier_obd_chart", {
    component: ObdChart,
});
