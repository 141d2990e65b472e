import { reactive } from "@odoo/owl";
import { _t } from "@web/core/l10n/translation";
import { registry } from "@web/core/registry";
import { user } from "@web/core/user";
import { CallPopupContainer } from "./call_popup";

/**
 * The call pop-ups of a tab: listens to "atelier_cti/call" bus notifications
 * (sent to every tab of every user the line routes to) and keeps the calls
 * to show. On start it also asks for calls still ringing, so a tab opened
 * during a call shows it too. Outgoing calls join through `show()` (the
 * click-to-dial client action).
 *
 * Only one pop-up is expanded at a time (`activeId`, the newest call by
 * default); the others are compact chips that expand on click, so a few
 * stacked calls do not cover the form and its chatter. `activeId` null:
 * every call is a chip.
 */
export const callPopupService = {
    dependencies: ["bus_service", "orm", "notification", "atelier_card"],

    start(env, { bus_service, orm, notification, atelier_card }) {
        const state = reactive({ calls: [], activeId: null });
        // closed by the user: a late copy of the ring (the bus replays the
        // last minute to a new tab, the pending calls answer too) must not
        // bring it back
        const dismissed = new Set();

        // the latest state known of each call, shown or not: a notification
        // older than it (the bus replays the last minute to a new tab, the
        // pending calls may answer after the call moved on) is ignored
        const latest = new Map();

        const find = (id) => state.calls.find((call) => call.id === id);

        /** Whether ``payload`` is older than what is known of its call (and
         * remember it when it is not). */
        function isStale(payload) {
            if (payload.state_rank === undefined) {
                return false;
            }
            const known = latest.get(payload.id);
            if (
                known &&
                (payload.state_rank < known.rank ||
                    (payload.state_rank === known.rank &&
                        payload.state_at &&
                        known.at &&
                        payload.state_at < known.at))
            ) {
                return true;
            }
            latest.set(payload.id, { rank: payload.state_rank, at: payload.state_at });
            return false;
        }

        /** Whether the call is still ringing, as far as this tab knows. */
        const stillRinging = (id) => (latest.get(id)?.rank ?? 0) === 0;

        function remove(id) {
            const index = state.calls.findIndex((call) => call.id === id);
            if (index >= 0) {
                state.calls.splice(index, 1);
            }
            if (state.activeId === id) {
                const newest = state.calls.at(-1);
                state.activeId = newest ? newest.id : null;
            }
        }

        function dismiss(id) {
            dismissed.add(id);
            remove(id);
        }

        function add(payload) {
            state.calls.push({ ...payload });
            // the newest call is the one expanded
            state.activeId = payload.id;
        }

        /** Merge fresh data into a shown call; a change of state (the call
         * ended…) refreshes the customer cards of its contact. */
        function merge(shown, payload) {
            const stateChanged = payload.state && payload.state !== shown.state;
            Object.assign(shown, payload);
            if (stateChanged) {
                atelier_card.changed([shown.partner_id]);
            }
        }

        function onCall(payload) {
            if (isStale(payload)) {
                return;
            }
            const shown = find(payload.id);
            const answeredBy = payload.answered_by;
            if (
                payload.direction === "inbound" &&
                answeredBy &&
                answeredBy.id !== user.userId &&
                payload.state === "answered"
            ) {
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
                merge(shown, payload);
            } else if (
                payload.direction === "inbound" &&
                payload.state === "ringing" &&
                !dismissed.has(payload.id)
            ) {
                // the bus hands the notifications of a batch one after the
                // other: a replayed ring followed by the end of the call in
                // the same batch must not pop up. Decide once it is handled.
                Promise.resolve().then(() => {
                    if (
                        stillRinging(payload.id) &&
                        !find(payload.id) &&
                        !dismissed.has(payload.id)
                    ) {
                        add(payload);
                    }
                });
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
            /** Show a call (an outgoing one just dialed), expanded. */
            show(payload) {
                isStale(payload);
                const shown = find(payload.id);
                if (shown) {
                    merge(shown, payload);
                    state.activeId = payload.id;
                } else {
                    dismissed.delete(payload.id);
                    add(payload);
                }
            },
            update(payload) {
                const shown = find(payload.id);
                if (shown && !isStale(payload)) {
                    merge(shown, payload);
                }
            },
            expand(id) {
                state.activeId = id;
            },
            collapse() {
                state.activeId = null;
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
