import { patch } from "@web/core/utils/patch";
import { CallPopup } from "@atelier_cti/call_popup/call_popup";

patch(CallPopup.prototype, {
    /** A short lead form for the caller; the pop-up reloads when it closes. */
    async newLead() {
        const action = await this.orm.call("atelier.call", "action_new_lead", [[this.call.id]]);
        await this.action.doAction(action, { onClose: () => this.load() });
    },
});
