import { patch } from "@web/core/utils/patch";
import { CallPopup } from "@atelier_cti/call_popup/call_popup";

patch(CallPopup.prototype, {
    /** Open a ticket form prefilled with the caller, linked to the call. */
    async newTicket() {
        const action = await this.orm.call("atelier.call", "action_new_ticket", [[this.call.id]]);
        await this.action.doAction(action);
    },
});
