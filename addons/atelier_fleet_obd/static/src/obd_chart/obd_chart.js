import { Component, onMounted, onWillStart, onWillUnmount, useRef, useState } from "@odoo/owl";
import { loadBundle } from "@web/core/assets";
import { registry } from "@web/core/registry";
import { useService } from "@web/core/utils/hooks";
import { standardWidgetProps } from "@web/views/widgets/standard_widget_props";

const COLORS = ["#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2"];

/**
 * Chart of the main PIDs of a diagnostic session (Chart.js, shipped by Odoo),
 * one y axis per PID hidden except the first, and the min/avg/max table.
 * Data: atelier.obd.session.atelier_chart_data(), already downsampled.
 */
export class ObdChart extends Component {
    static template = "atelier_fleet_obd.ObdChart";
    static props = { ...standardWidgetProps };

    setup() {
        this.orm = useService("orm");
        this.canvasRef = useRef("canvas");
        this.state = useState({ data: null, error: null });
        this.chart = null;
        onWillStart(async () => {
            await loadBundle("web.chartjs_lib");
            await this.load();
        });
        onMounted(() => this.render_chart());
        onWillUnmount(() => this.chart?.destroy());
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

    format(value) {
        return value === null || value === undefined ? "" : Number(value).toFixed(1);
    }

    render_chart() {
        const data = this.state.data;
        if (!data || !data.series.length || !this.canvasRef.el) {
            return;
        }
        const scales = { x: { type: "time", time: { tooltipFormat: "HH:mm:ss" } } };
        const datasets = data.series.map((serie, index) => {
            const axis = `y${index}`;
            scales[axis] = { display: index === 0, position: "left" };
            return {
                label: serie.unit ? `${serie.label} (${serie.unit})` : serie.label,
                data: serie.points.map(([x, y]) => ({ x, y })),
                yAxisID: axis,
                borderColor: COLORS[index % COLORS.length],
                backgroundColor: COLORS[index % COLORS.length],
                borderWidth: 1.5,
                pointRadius: 0,
                hidden: index > 2,
            };
        });
        this.chart = new Chart(this.canvasRef.el, {
            type: "line",
            data: { datasets },
            options: {
                animation: false,
                parsing: false,
                normalized: true,
                maintainAspectRatio: false,
                interaction: { mode: "nearest", axis: "x", intersect: false },
                scales,
            },
        });
    }
}

registry.category("view_widgets").add("atelier_obd_chart", {
    component: ObdChart,
});
