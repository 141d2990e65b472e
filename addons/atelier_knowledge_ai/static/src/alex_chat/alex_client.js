import { _t } from "@web/core/l10n/translation";

export class AlexError extends Error {
    constructor(message, status) {
        super(message);
        this.status = status;
    }
}

/** One server-sent event: "event: name\ndata: {json}". */
export function parseEvent(raw) {
    let event = "message";
    const data = [];
    for (const line of raw.split("\n")) {
        if (line.startsWith("event:")) {
            event = line.slice(6).trim();
        } else if (line.startsWith("data:")) {
            data.push(line.slice(5).trimStart());
        }
    }
    return { event, data: data.length ? JSON.parse(data.join("\n")) : {} };
}

/**
 * Ask Alex; the answer arrives as it is written.
 *
 * @param {{question: string, history?: Array, lang?: string}} payload
 * @param {{onMeta: Function, onDelta: Function, onDone: Function}} handlers
 */
export async function askAlex(payload, { onMeta, onDelta, onDone }) {
    const response = await fetch("/atelier/alex/ask", {
        method: "POST",
        headers: { "Content-Type": "application/json", Accept: "text/event-stream" },
        body: JSON.stringify(payload),
        credentials: "same-origin",
    });
    if (!response.ok) {
        let message = "";
        try {
            message = (await response.json()).error;
        } catch {
            message = "";
        }
        throw new AlexError(message || _t("Alex cannot answer right now."), response.status);
    }
    const reader = response.body.getReader();
    const decoder = new TextDecoder();
    let buffer = "";
    const handle = (raw) => {
        if (!raw.trim()) {
            return;
        }
        const { event, data } = parseEvent(raw);
        if (event === "meta") {
            onMeta(data);
        } else if (event === "delta") {
            onDelta(data.text || "");
        } else if (event === "done") {
            onDone(data);
        } else if (event === "error") {
            throw new AlexError(_t("The answer was interrupted."), 500);
        }
    };
    while (true) {
        const { value, done } = await reader.read();
        if (done) {
            break;
        }
        buffer += decoder.decode(value, { stream: true });
        let index;
        while ((index = buffer.indexOf("\n\n")) >= 0) {
            handle(buffer.slice(0, index));
            buffer = buffer.slice(index + 2);
        }
    }
    handle(buffer + decoder.decode());
}
