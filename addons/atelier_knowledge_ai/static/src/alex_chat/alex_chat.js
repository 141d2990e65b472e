import { Component, onWillUnmount, useEffect, useRef, useState } from "@odoo/owl";
import { _t } from "@web/core/l10n/translation";
import { rpc } from "@web/core/network/rpc";
import { registry } from "@web/core/registry";
import { askAlex } from "./alex_client";

const CITATION = /\[(\d{1,2})\]/g;

/**
 * Alex, the automotive expert: a chat that answers from the knowledge base,
 * cites its sources and hands over to a person. The same component floats
 * on the website and sits in the back office's systray panel.
 */
export class AlexChat extends Component {
    static template = "atelier_knowledge_ai.AlexChat";
    static props = {
        isPublic: { type: Boolean, optional: true },
        userName: { type: String, optional: true },
        handoff: { type: String, optional: true },
        embedded: { type: Boolean, optional: true },
        onClose: { type: Function, optional: true },
    };

    setup() {
        this.state = useState({
            open: Boolean(this.props.embedded),
            input: "",
            busy: false,
            listening: false,
            speaking: null,
            messages: [],
        });
        this.inputRef = useRef("input");
        this.listRef = useRef("list");
        this.Recognition = window.SpeechRecognition || window.webkitSpeechRecognition;
        this.canSpeak =
            "speechSynthesis" in window && typeof window.SpeechSynthesisUtterance === "function";
        useEffect(
            () => {
                const list = this.listRef.el;
                if (list) {
                    list.scrollTop = list.scrollHeight;
                }
            },
            () => {
                const last = this.state.messages.at(-1);
                return [this.state.messages.length, last?.text.length, last?.handoffDone];
            }
        );
        useEffect(
            () => {
                if (this.state.open) {
                    this.inputRef.el?.focus();
                }
            },
            () => [this.state.open]
        );
        onWillUnmount(() => {
            this.recognition?.abort();
            if (this.canSpeak) {
                window.speechSynthesis.cancel();
            }
        });
    }

    get lang() {
        return document.documentElement.lang || "fr-FR";
    }

    get placeholder() {
        return _t("Ask about a trouble code, a symptom, a repair…");
    }

    toggle() {
        if (this.props.embedded) {
            this.props.onClose?.();
            return;
        }
        this.state.open = !this.state.open;
    }

    history() {
        return this.state.messages
            .filter((m) => m.text && !m.error)
            .slice(-4)
            .map((m) => ({ role: m.role, content: m.text }));
    }

    async send(ev) {
        ev?.preventDefault();
        const question = this.state.input.trim();
        if (!question || this.state.busy) {
            return;
        }
        const history = this.history();
        this.state.input = "";
        this.state.messages.push({ role: "user", text: question });
        this.state.messages.push({
            role: "assistant",
            question,
            text: "",
            sources: [],
            cited: [],
            unknown: false,
            offer: false,
            handoff: this.props.handoff || "request",
            streaming: true,
            error: "",
            form: null,
            handoffDone: null,
        });
        const message = this.state.messages.at(-1);
        this.state.busy = true;
        try {
            await askAlex(
                { question, history, lang: this.lang },
                {
                    onMeta: (meta) => {
                        message.sources = meta.sources;
                        message.unknown = meta.unknown;
                        message.offer = meta.offer;
                        message.handoff = meta.handoff;
                        message.mode = meta.mode;
                    },
                    onDelta: (text) => {
                        message.text += text;
                    },
                    onDone: (done) => {
                        message.text = done.text;
                        message.cited = done.cited;
                        message.unknown = done.unknown;
                        message.offer = done.offer;
                    },
                }
            );
        } catch (error) {
            message.error = error.message || _t("Alex cannot answer right now.");
        } finally {
            message.streaming = false;
            this.state.busy = false;
        }
    }

    onKeydown(ev) {
        if (ev.key === "Enter" && !ev.shiftKey) {
            this.send(ev);
        }
    }

    /** Paragraphs of an answer, each a list of text pieces and citation links. */
    paragraphs(message) {
        const sources = Object.fromEntries(message.sources.map((s) => [s.n, s]));
        return message.text
            .split(/\n\s*\n/)
            .filter((p) => p.trim())
            .map((paragraph, index) => {
                const pieces = [];
                let last = 0;
                for (const match of paragraph.matchAll(CITATION)) {
                    const source = sources[Number(match[1])];
                    if (!source) {
                        continue;
                    }
                    pieces.push({ text: paragraph.slice(last, match.index) });
                    pieces.push({ source });
                    last = match.index + match[0].length;
                }
                pieces.push({ text: paragraph.slice(last) });
                return { id: index, pieces };
            });
    }

    sourcesOf(message) {
        const cited = new Set(message.cited);
        return [...message.sources].sort(
            (a, b) => Number(cited.has(b.n)) - Number(cited.has(a.n)) || a.n - b.n
        );
    }

    isCited(message, source) {
        return message.cited.includes(source.n);
    }

    handoffLabel(message) {
        return message.handoff === "ticket"
            ? _t("Open a ticket with the desk")
            : _t("Ask an advisor to call me back");
    }

    startHandoff(message) {
        if (message.handoff === "request" && this.props.isPublic) {
            message.form = { name: "", email: "", phone: "", error: "" };
            return;
        }
        this.submitHandoff(message);
    }

    async submitHandoff(message, ev) {
        ev?.preventDefault();
        const result = await rpc("/atelier/alex/handoff", {
            question: message.question,
            answer: message.text,
            sources: message.sources.map((s) => ({ url: s.url, title: s.title })),
            contact: message.form
                ? {
                      name: message.form.name,
                      email: message.form.email,
                      phone: message.form.phone,
                  }
                : null,
            lang: this.lang,
        });
        if (result.error) {
            if (message.form) {
                message.form.error = result.error;
            } else {
                message.error = result.error;
            }
            return;
        }
        message.form = null;
        message.handoffDone = result;
    }

    handoffDoneText(result) {
        return result.kind === "ticket"
            ? _t("Ticket %s opened: the desk will answer you there.", result.reference)
            : _t("Request sent: an advisor will call you back.");
    }

    // --- voice -----------------------------------------------------------
    listen() {
        if (!this.Recognition) {
            return;
        }
        if (this.state.listening) {
            this.recognition?.stop();
            return;
        }
        const recognition = new this.Recognition();
        recognition.lang = this.lang;
        recognition.interimResults = true;
        recognition.onresult = (event) => {
            this.state.input = Array.from(event.results)
                .map((result) => result[0].transcript)
                .join(" ");
        };
        recognition.onend = () => {
            this.state.listening = false;
        };
        recognition.onerror = () => {
            this.state.listening = false;
        };
        this.recognition = recognition;
        this.state.listening = true;
        recognition.start();
    }

    speak(message, index) {
        if (!this.canSpeak) {
            return;
        }
        window.speechSynthesis.cancel();
        if (this.state.speaking === index) {
            this.state.speaking = null;
            return;
        }
        const utterance = new window.SpeechSynthesisUtterance(
            message.text.replace(CITATION, "").replace(/[«»]/g, "")
        );
        utterance.lang = this.lang;
        utterance.onend = () => {
            this.state.speaking = null;
        };
        this.state.speaking = index;
        window.speechSynthesis.speak(utterance);
    }
}

registry.category("public_components").add("atelier_knowledge_ai.alex_chat", AlexChat);
