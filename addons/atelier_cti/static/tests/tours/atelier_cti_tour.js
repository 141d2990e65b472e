import { registry } from "@web/core/registry";

/* The line of the tests' common setup (atelier_cti/tests/common.py). */
const LINE = "front";
const SECRET = "test-secret-0123456789abcdef";

/**
 * Post a telephony event as the PBX would, HMAC-signed with WebCrypto, and
 * fail the step unless it is accepted. Exported for the glue addons' tours:
 * `import { postSignedEvent } from "@atelier_cti/../tests/tours/atelier_cti_tour";`
 */
export async function postSignedEvent(payload, { line = LINE, secret = SECRET } = {}) {
    const body = JSON.stringify(payload);
    const timestamp = String(Math.floor(Date.now() / 1000));
    const encoder = new TextEncoder();
    const key = await crypto.subtle.importKey(
        "raw",
        encoder.encode(secret),
        { name: "HMAC", hash: "SHA-256" },
        false,
        ["sign"]
    );
    const mac = await crypto.subtle.sign("HMAC", key, encoder.encode(`${timestamp}.${body}`));
    const hex = [...new Uint8Array(mac)].map((b) => b.toString(16).padStart(2, "0")).join("");
    const response = await fetch("/atelier/cti/v1/events", {
        method: "POST",
        headers: {
            "Content-Type": "application/json",
            "X-Atelier-Line": line,
            "X-Atelier-Timestamp": timestamp,
            "X-Atelier-Signature": `sha256=${hex}`,
        },
        body,
    });
    if (response.status !== 200) {
        throw new Error(`event refused: ${response.status} ${await response.text()}`);
    }
}

const EXPANDED = ".o_atelier_call_popup.o_atelier_call_expanded";
const CHIP = ".o_atelier_call_popup.o_atelier_call_chip";

function callEvent(event, extra = {}) {
    return {
        event_id: `tour-${event}-${Date.now()}`,
        event,
        call_id: "tour-call-1",
        from: "+33 4 78 12 34 56",
        to: "+33 4 72 00 00 00",
        at: new Date().toISOString(),
        ...extra,
    };
}

registry.category("web_tour.tours").add("atelier_cti_popup_tour", {
    steps: () => [
        {
            content: "The web client is loaded",
            trigger: ".o_main_navbar",
        },
        {
            content: "The telephony system reports a ringing call",
            trigger: ".o_main_navbar",
            run: () => postSignedEvent(callEvent("ringing")),
        },
        {
            content: "The pop-up shows the caller",
            trigger: ".o_atelier_call_popup .o_atelier_call_partner_name:contains(Garage Dupont)",
        },
        {
            content: "with the customer card of the right contact",
            trigger: ".o_atelier_call_popup .o_atelier_customer_card [data-section=contact]:contains(04 78 12 34 56)",
        },
        {
            content: "and its recent calls",
            trigger: ".o_atelier_call_popup .o_atelier_customer_card [data-section=calls]",
        },
        {
            content: "Claire types a note",
            trigger: ".o_atelier_call_popup .o_atelier_call_note_input",
            run: "edit Wants a quote for the brakes",
        },
        {
            content: "and logs it",
            trigger: ".o_atelier_call_popup .o_atelier_call_note_save:enabled",
            run: "click",
        },
        {
            content: "The note is logged",
            trigger: ".o_atelier_call_popup .o_atelier_call_note_saved",
        },
        {
            content: "Two more calls ring: Marie, then an unknown number",
            trigger: ".o_atelier_call_popup .o_atelier_call_note_saved",
            run: async () => {
                await postSignedEvent(
                    callEvent("ringing", { call_id: "tour-call-3", from: "06 12 34 56 78" })
                );
                await postSignedEvent(
                    callEvent("ringing", { call_id: "tour-call-4", from: "07 11 22 33 44" })
                );
            },
        },
        {
            content: "Only the newest is expanded: an unknown caller (a number libphonenumber does not know)",
            trigger: `${EXPANDED}:has(.o_atelier_call_number:contains(07 11 22 33 44)) .o_atelier_call_unknown`,
        },
        {
            content: "the two others are chips",
            trigger: `${CHIP}:contains(Garage Dupont) ~ ${CHIP}:contains(Marie Martin)`,
        },
        {
            content: "and nothing else is expanded",
            trigger: `body:not(:has(${EXPANDED} + ${EXPANDED}))`,
        },
        {
            content: "Claire expands Garage Dupont's call",
            trigger: `${CHIP}:contains(Garage Dupont)`,
            run: "click",
        },
        {
            content: "It is expanded, with her note still there; the unknown caller is a chip now",
            trigger: `${EXPANDED}:has(.o_atelier_call_partner_name:contains(Garage Dupont)) .o_atelier_call_note_saved`,
        },
        {
            content: "The unknown caller is a chip now",
            trigger: `${CHIP}:contains(07 11 22 33 44)`,
        },
        {
            content: "She minimizes it: only chips remain",
            trigger: `${EXPANDED} .o_atelier_call_minimize`,
            run: "click",
        },
        {
            content: "Three chips, nothing expanded",
            trigger: `body:not(:has(${EXPANDED})) ${CHIP}:contains(Garage Dupont)`,
        },
        {
            content: "A colleague answers Garage Dupont",
            trigger: `${CHIP}:contains(Garage Dupont)`,
            run: () => postSignedEvent(callEvent("answered", { agent: "bruno_cti" })),
        },
        {
            content: "Its pop-up closes for Claire",
            trigger: `body:not(:has(.o_atelier_call_popup:contains(Garage Dupont)))`,
        },
        {
            content: "and she is told who took it",
            trigger: ".o_notification:contains(Bruno Petit)",
        },
        {
            content: "The other calls are still there",
            trigger: `${CHIP}:contains(Marie Martin)`,
        },
    ],
});

registry.category("web_tour.tours").add("atelier_cti_pending_tour", {
    steps: () => [
        {
            content: "A call already ringing when the tab opens is shown",
            trigger: ".o_atelier_call_popup[data-state=ringing] .o_atelier_call_unknown",
        },
        {
            content: "Unknown caller: a new contact can be created",
            trigger: ".o_atelier_call_popup .o_atelier_call_new_contact",
        },
        {
            content: "Dismiss it",
            trigger: ".o_atelier_call_popup .o_atelier_call_dismiss",
            run: "click",
        },
        {
            content: "The pop-up is gone",
            trigger: "body:not(:has(.o_atelier_call_popup))",
        },
        {
            content: "The PBX repeats the ring of the dismissed call, then a new call rings",
            trigger: "body:not(:has(.o_atelier_call_popup))",
            run: async () => {
                const unknown = { from: "+33 4 78 55 44 33" };
                await postSignedEvent(
                    callEvent("ringing", { ...unknown, call_id: "tour-pending", event_id: "tour-pending-again" })
                );
                await postSignedEvent(callEvent("ringing", { call_id: "tour-pending-next" }));
            },
        },
        {
            content: "The new call pops up",
            trigger: ".o_atelier_call_popup .o_atelier_call_partner_name:contains(Garage Dupont)",
        },
        {
            content: "and the dismissed one stays closed",
            trigger: "body:not(:has(.o_atelier_call_popup .o_atelier_call_unknown))",
        },
    ],
});

registry.category("web_tour.tours").add("atelier_cti_outcome_tour", {
    steps: () => [
        {
            content: "The web client is loaded",
            trigger: ".o_main_navbar",
        },
        {
            content: "An unknown number calls",
            trigger: ".o_main_navbar",
            run: () =>
                postSignedEvent(
                    callEvent("ringing", { call_id: "tour-call-2", from: "+33 4 78 55 44 33" })
                ),
        },
        {
            content: "The pop-up offers to create the contact",
            trigger: ".o_atelier_call_popup .o_atelier_call_new_contact",
            run: "click",
        },
        {
            content: "The contact form opens with the number",
            trigger: ".modal .o_field_widget[name=phone] input:value(78 55 44 33)",
        },
        {
            content: "Claire types the name",
            trigger: ".modal .o_field_widget[name=name] input",
            run: "edit Nouveau Client",
        },
        {
            content: "and saves",
            trigger: ".modal .o_form_button_save",
            run: "click",
        },
        {
            content: "The pop-up now shows the new contact",
            trigger: ".o_atelier_call_popup .o_atelier_call_partner_name:contains(Nouveau Client)",
        },
        {
            content: "Claire answers",
            trigger: ".o_atelier_call_popup",
            run: () =>
                postSignedEvent(
                    callEvent("answered", { call_id: "tour-call-2", agent: "claire_cti" })
                ),
        },
        {
            content: "The pop-up stays open for her",
            trigger: ".o_atelier_call_popup[data-state=answered] .o_atelier_call_answered_by:contains(Claire Moreau)",
        },
        {
            content: "The caller hangs up",
            trigger: ".o_atelier_call_popup[data-state=answered]",
            run: () => postSignedEvent(callEvent("hangup", { call_id: "tour-call-2" })),
        },
        {
            content: "The card's recent calls show the call's final state at once",
            trigger: ".o_atelier_call_popup[data-state=ended] .o_atelier_customer_card [data-section=calls] .o_atelier_card_item:first .badge:contains(Ended)",
        },
        {
            content: "She picks an outcome",
            trigger: ".o_atelier_call_popup[data-state=ended] .o_atelier_call_outcome_select",
            run: "select resolved",
        },
        {
            content: "and logs it",
            trigger: ".o_atelier_call_popup .o_atelier_call_outcome_save:enabled",
            run: "click",
        },
        {
            content: "The outcome is logged",
            trigger: ".o_atelier_call_popup .o_atelier_call_outcome_saved",
        },
    ],
});

registry.category("web_tour.tours").add("atelier_cti_dial_tour", {
    steps: () => [
        {
            content: "Marie's contact form is open",
            trigger: ".o_form_view .o_breadcrumb:contains(Marie Martin)",
        },
        {
            content: "Claire calls her back",
            trigger: ".o_form_view button[name=action_atelier_dial]",
            run: "click",
        },
        {
            content: "The outgoing call joins the pop-ups, with a link for the softphone",
            trigger: `${EXPANDED}[data-direction=outbound]:has(.o_atelier_call_outgoing) a.o_atelier_call_tel_link[href='tel:+33612345678']`,
        },
        {
            content: "The tel: link was handed to the browser (the softphone)",
            trigger: "iframe.o_atelier_cti_tel_frame[src='tel:+33612345678']:not(:visible)",
        },
        {
            content: "The web client stayed on the contact: no /tel: page",
            trigger: ".o_form_view .o_breadcrumb:contains(Marie Martin)",
            run: () => {
                if (window.location.pathname.includes("tel:")) {
                    throw new Error(`navigated to ${window.location.pathname}`);
                }
            },
        },
        {
            content: "She logs what the call gave",
            trigger: `${EXPANDED}[data-direction=outbound] .o_atelier_call_outcome_select`,
            run: "select information",
        },
        {
            content: "Log it",
            trigger: `${EXPANDED}[data-direction=outbound] .o_atelier_call_outcome_save:enabled`,
            run: "click",
        },
        {
            content: "The outgoing call is over",
            trigger: `${EXPANDED}[data-direction=outbound][data-state=ended] .o_atelier_call_outcome_saved`,
        },
    ],
});

registry.category("web_tour.tours").add("atelier_cti_replayed_ring_tour", {
    steps: () => [
        {
            content: "The call still ringing, replayed by the bus, pops up",
            trigger: ".o_atelier_call_popup[data-state=ringing] .o_atelier_call_number:contains(+33698765432)",
        },
        {
            content:
                "The ring of the call missed meanwhile, replayed before it, does not " +
                "(the replay is handled in order: its decision was taken already)",
            trigger: "body:not(:has(.o_atelier_call_popup[data-state=missed]))",
        },
        {
            content: "Only one pop-up",
            trigger: ".o_atelier_call_popups:not(:has(.o_atelier_call_popup ~ .o_atelier_call_popup))",
        },
    ],
});
