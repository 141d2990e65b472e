import { reactive } from "@odoo/owl";
import { _t } from "@web/core/l10n/translation";
import { registry } from "@web/core/registry";
import { user } from "@web/core/user";
import { CallPopupContainer } from "./call_popup";

/**
 * Incoming-call pop-ups: listens to "atelier_cti/call" bus notifications
 * (sent to every tab of every user the line routes to) and keeps the calls
 * to show. On start it also asks for calls still ringing, so a tab opened
 * during a call shows it too.
 */
export const callPopupService = {
    dependencies: ["bus_service", "orm", "notification"],

    start(env, { bus_service, orm, notification }) {
        const state = reactive({ calls: [] });
        // closed by the user: a late copy of the ring (the bus replays the
        // last minute to a new tab, the pending calls answer too) must not
        // bring it back
        const dismissed = new Set();

        const find = (id) => state.calls.find((call) => call.id === id);

        function remove(id) {
            const index = state.calls.findIndex((call) => call.id === id);
            if (index >= 0) {
                state.calls.splice(index, 1);
            }
        }

        function dismiss(id) {
            dismissed.add(id);
            remove(id);
        }

        function onCall(payload) {
            const shown = find(payload.id);
            const answeredBy = payload.answered_by;
            if (answeredBy && answeredBy.id !== user.userId && payload.state === "answered") {
                // someone else took it: close ours and say who
                if (shown) {
                    remove(payload.id);
                    notification.add(
                        _t("%(number)s answered by %(user)s", {
                            number: payload.partner_name || payload.number || _t("Call"),
                            user: answeredBy.name,
                        }),
                        { type: "info" }
                    );
                }
                return;
            }
            if (shown) {
                Object.assign(shown, payload);
            } else if (payload.state === "ringing" && !dismissed.has(payload.id)) {
                state.calls.push({ ...payload });
            }
        }

        bus_service.subscribe("atelier_cti/call", onCall);
        bus_service.start();
        orm.silent
            .call("atelier.call", "atelier_pending_calls", [])
            .then((calls) => calls.forEach(onCall))
            .catch(() => {});

        const api = {
            state,
            dismiss,
            update(payload) {
                const shown = find(payload.id);
                if (shown) {
                    Object.assign(shown, payload);
                }
            },
        };
        registry.category("main_components").add("atelier_cti.CallPopupContainer", {
            Component: CallPopupContainer,
            props: { service: api },
        });
        return api;
    },
};

registry.category("services").add("atelier_cti_call_popup", callPopupService);
