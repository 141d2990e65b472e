import { registry } from "@web/core/registry";
import { ListController } from "@web/views/list/list_controller";
import { listView } from "@web/views/list/list_view";

/**
 * "Nothing forgotten": a line is not a record to edit but something to do;
 * clicking it opens the call, ticket, appointment, e-mail or lead behind it.
 */
export class PendingListController extends ListController {
    async openRecord(record) {
        // the record's own form: its access rules apply there
        const target = record.data.res_id;
        return this.actionService.doAction({
            type: "ir.actions.act_window",
            res_model: record.data.res_model,
            // a many2one_reference value: {resId, displayName}
            res_id: typeof target === "object" ? target.resId : target,
            views: [[false, "form"]],
        });
    }
}

registry.category("views").add("atelier_desk_pending_list", {
    ...listView,
    Controller: PendingListController,
});
