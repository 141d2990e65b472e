import { registry } from "@web/core/registry";
import { useService } from "@web/core/utils/hooks";
import { ListController } from "@web/views/list/list_controller";
import { listView } from "@web/views/list/list_view";

/**
 * "Nothing forgotten": a line is not a record to edit but something to do;
 * clicking it opens the call, ticket, appointment, e-mail or lead behind it.
 */
export class PendingListController extends ListController {
    setup() {
        super.setup();
        this.orm = useService("orm");
    }

    async openRecord(record) {
        const action = await this.orm.call("atelier.desk.pending", "action_open", [
            [record.resId],
        ]);
        return this.actionService.doAction(action);
    }
}

registry.category("views").add("atelier_desk_pending_list", {
    ...listView,
    Controller: PendingListController,
});
