import { Component, markup, onWillStart, useState } from "@odoo/owl";
import { _t } from "@web/core/l10n/translation";
import { registry } from "@web/core/registry";
import { useService } from "@web/core/utils/hooks";

/**
 * "Search the knowledge base" in the back office: the same search as the
 * public page, the assistant and the call pop-up
 * (atelier.kb.search.search_kb). Results open the record.
 */
export class KbSearch extends Component {
    static template = "atelier_knowledge.KbSearch";
    static props = ["*"];

    setup() {
        this.orm = useService("orm");
        this.action = useService("action");
        this.state = useState({
            query: this.props.action?.context?.kb_query || "",
            category: "",
            kind: "",
            categories: [],
            results: [],
            message: false,
            searched: false,
            loading: false,
        });
        this.kinds = [
            ["", _t("Articles and trouble codes")],
            ["code", _t("Trouble codes only")],
            ["article", _t("Articles only")],
            ["explication", _t("Explanations")],
            ["procedure", _t("Procedures")],
            ["checklist", _t("Checklists")],
        ];
        onWillStart(async () => {
            this.state.categories = await this.orm.searchRead(
                "atelier.kb.category",
                [],
                ["name", "code"],
                { order: "sequence, id" }
            );
            if (this.state.query) {
                await this.search();
            }
        });
    }

    async search() {
        this.state.loading = true;
        try {
            const answer = await this.orm.call("atelier.kb.search", "search_kb", [this.state.query], {
                limit: 30,
                kinds: this.state.kind ? [this.state.kind] : null,
                category: this.state.category || null,
            });
            this.state.results = answer.results.map((result) => ({
                ...result,
                snippet: markup(result.snippet),
            }));
            this.state.message = answer.message;
            this.state.searched = true;
        } finally {
            this.state.loading = false;
        }
    }

    onSubmit(ev) {
        ev.preventDefault();
        return this.search();
    }

    open(result) {
        this.action.doAction({
            type: "ir.actions.act_window",
            res_model: result.res_model,
            res_id: result.res_id,
            views: [[false, "form"]],
        });
    }
}

registry.category("actions").add("atelier_kb_search", KbSearch);
