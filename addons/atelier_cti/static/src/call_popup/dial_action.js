import { registry } from "@web/core/registry";

/**
 * Hand a `tel:` URI to the browser, which passes it to the softphone (or
 * asks which application to use). Never an Odoo route: an URL action would
 * turn it into `/tel:…`, a 404 page that also closes the pop-ups.
 *
 * Through a hidden frame rather than the page itself: opening a `tel:` link
 * in the page fires its "beforeunload", where Odoo saves the form being
 * edited, or asks "leave the page?" when it cannot. The pop-up also shows
 * the link, to click by hand when the browser blocks this one.
 */
export function openTelLink(url) {
    let frame = document.querySelector("iframe.o_atelier_cti_tel_frame");
    if (!frame) {
        frame = document.createElement("iframe");
        frame.classList.add("o_atelier_cti_tel_frame", "d-none");
        frame.setAttribute("aria-hidden", "true");
        document.body.appendChild(frame);
    }
    frame.src = url;
}

/**
 * Client action returned by click-to-dial (`atelier.call.atelier_dial`):
 * the softphone gets the `tel:` link (no PBX) or the PBX's answer is shown,
 * and the outgoing call joins the pop-ups, where its outcome is logged.
 * The current view is left alone.
 */
export function dialAction(env, action) {
    const params = action.params || {};
    if (params.status === "tel" && params.url) {
        openTelLink(params.url);
    }
    if (params.call) {
        env.services.atelier_cti_call_popup.show({
            ...params.call,
            // a link to dial again by hand, when the browser blocked ours
            tel_url: params.status === "tel" ? params.url : false,
        });
    }
    if (params.message) {
        env.services.notification.add(params.message, {
            type: params.status === "error" ? "danger" : "success",
            sticky: params.status === "error",
        });
    }
}

registry.category("actions").add("atelier_cti_dial", dialAction);
