import { registry } from "@web/core/registry";

/* The test gives the line this code and secret. */
const LINE = "ctib-tour-line";
const SECRET = "ctib-tour-secret-0123456789abcdef";

async function postSignedEvent(payload) {
    const body = JSON.stringify(payload);
    const timestamp = String(Math.floor(Date.now() / 1000));
    const encoder = new TextEncoder();
    const key = await crypto.subtle.importKey(
        "raw",
        encoder.encode(SECRET),
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
            "X-Atelier-Line": LINE,
            "X-Atelier-Timestamp": timestamp,
            "X-Atelier-Signature": `sha256=${hex}`,
        },
        body,
    });
    if (response.status !== 200) {
        throw new Error(`event refused: ${response.status} ${await response.text()}`);
    }
}

registry.category("web_tour.tours").add("atelier_cti_booking_tour", {
    steps: () => [
        {
            content: "The web client is loaded",
            trigger: ".o_main_navbar",
        },
        {
            content: "A known client calls",
            trigger: ".o_main_navbar",
            run: () =>
                postSignedEvent({
                    event_id: `ctib-ringing-${Date.now()}`,
                    event: "ringing",
                    call_id: "ctib-call-1",
                    from: "+33 6 12 34 56 78",
                    to: "+33 4 72 00 00 01",
                    at: new Date().toISOString(),
                }),
        },
        {
            content: "The pop-up shows the caller; Claire clicks Book",
            trigger: ".o_atelier_call_popup:has(.o_atelier_call_partner_name:contains(Jeanne Client)) .o_atelier_call_book",
            run: "click",
        },
        {
            content: "The next free slots are offered; she picks the first",
            trigger: ".o_atelier_call_popup .o_atelier_call_slots .o_atelier_call_slot:first",
            run: "click",
        },
        {
            content: "The appointment is confirmed in the pop-up",
            trigger: ".o_atelier_call_popup .o_atelier_call_booked",
        },
    ],
});
