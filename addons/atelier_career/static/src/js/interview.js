/** The interview screen: timer with pause, answers sent as JSON and the
 * persona's reply read as server-sent events, a nudge after a silence,
 * optional dictation through the browser's speech recognition. */
import { _t } from "@web/core/l10n/translation";

function formatTime(seconds) {
    const s = Math.max(0, Math.round(seconds));
    return `${String(Math.floor(s / 60)).padStart(2, "0")}:${String(s % 60).padStart(2, "0")}`;
}

async function postJson(url, payload) {
    const response = await fetch(url, {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify(payload || {}),
    });
    return response;
}

function addBubble(root, role, text) {
    const transcript = root.querySelector(".o_career_transcript");
    const div = document.createElement("div");
    const classes = {
        learner: "align-self-end bg-primary-subtle",
        persona: "align-self-start bg-light border",
        notice: "text-muted small",
    };
    div.className = `o_career_msg o_career_msg_${role} p-2 rounded ${classes[role] || ""}`;
    div.textContent = text;
    transcript.appendChild(div);
    div.scrollIntoView({ block: "nearest" });
    return div;
}

async function readEvents(response, onEvent) {
    const reader = response.body.getReader();
    const decoder = new TextDecoder();
    let buffer = "";
    for (;;) {
        const { value, done } = await reader.read();
        if (done) {
            break;
        }
        buffer += decoder.decode(value, { stream: true });
        let index;
        while ((index = buffer.indexOf("\n\n")) >= 0) {
            const chunk = buffer.slice(0, index);
            buffer = buffer.slice(index + 2);
            const name = (chunk.match(/^event: (.*)$/m) || [])[1];
            const data = (chunk.match(/^data: (.*)$/m) || [])[1];
            if (name && data) {
                onEvent(name, JSON.parse(data));
            }
        }
    }
}

function setupInterview(root) {
    const id = root.dataset.sessionId;
    const base = `/my/career/interview/${id}`;
    let state = root.dataset.state;
    let remaining = Number(root.dataset.remaining || 0);
    const nudgeAfter = Number(root.dataset.nudgeSeconds || 45);
    let silence = 0;
    let busy = false;
    const timerEl = root.querySelector(".o_career_timer");
    const pauseBtn = root.querySelector(".o_career_pause");
    const endBtn = root.querySelector(".o_career_end");
    const form = root.querySelector(".o_career_answer_form");
    const input = root.querySelector(".o_career_answer");
    const status = root.querySelector(".o_career_status");
    let voiceUsed = false;
    if (state === "done" || !form) {
        return;
    }
    const end = async () => {
        if (state === "done") {
            return;
        }
        state = "done";
        status.textContent = _t("Preparing your synthesis…");
        await postJson(`${base}/end`);
        window.location.reload();
    };
    const tick = () => {
        if (timerEl) {
            timerEl.textContent = formatTime(remaining);
        }
        if (state !== "running" || busy) {
            return;
        }
        remaining -= 1;
        silence += 1;
        if (remaining <= 0) {
            end();
            return;
        }
        if (silence >= nudgeAfter && !input.value.trim()) {
            silence = 0;
            postJson(`${base}/nudge`)
                .then((r) => r.json())
                .then((data) => {
                    if (data.result) {
                        addBubble(root, "persona", data.result);
                    }
                });
        }
    };
    tick();
    setInterval(tick, 1000);
    input.addEventListener("input", () => {
        silence = 0;
    });
    pauseBtn.addEventListener("click", async () => {
        const paused = pauseBtn.dataset.paused === "1";
        const response = await postJson(`${base}/${paused ? "resume" : "pause"}`);
        const data = await response.json();
        if (data.timer) {
            state = data.timer.state;
            remaining = data.timer.remaining;
        }
        pauseBtn.dataset.paused = state === "paused" ? "1" : "0";
        pauseBtn.textContent = state === "paused" ? _t("Resume") : _t("Pause");
        input.disabled = state === "paused";
    });
    endBtn.addEventListener("click", end);
    form.addEventListener("submit", async (ev) => {
        ev.preventDefault();
        const text = input.value.trim();
        if (!text || busy || state !== "running") {
            return;
        }
        busy = true;
        silence = 0;
        status.textContent = "";
        const response = await postJson(`${base}/answer`, { text, voice: voiceUsed });
        if (!response.ok) {
            const data = await response.json().catch(() => ({}));
            status.textContent = data.error || _t("The answer could not be sent.");
            busy = false;
            return;
        }
        input.value = "";
        voiceUsed = false;
        if ((response.headers.get("Content-Type") || "").includes("application/json")) {
            const data = await response.json();
            addBubble(root, "learner", data.answer);
            if (data.ended) {
                window.location.reload();
            }
            busy = false;
            return;
        }
        let bubble = null;
        let ended = false;
        await readEvents(response, (name, data) => {
            if (name === "meta") {
                addBubble(root, "learner", data.answer);
                for (const notice of data.notices || []) {
                    addBubble(root, "notice", notice);
                }
                ended = data.ended;
                bubble = addBubble(root, "persona", "");
            } else if (name === "delta" && bubble) {
                bubble.textContent += data.text;
            } else if (name === "done" && bubble) {
                bubble.textContent = data.text;
                if (data.timer) {
                    remaining = data.timer.remaining;
                }
                ended = ended || data.ended;
            }
        });
        busy = false;
        if (ended) {
            state = "running";
            await end();
        }
    });
    const Recognition = window.SpeechRecognition || window.webkitSpeechRecognition;
    const voiceBtn = root.querySelector(".o_career_voice");
    if (root.dataset.voice === "1" && Recognition && voiceBtn) {
        voiceBtn.classList.remove("d-none");
        voiceBtn.addEventListener("click", () => {
            const recognition = new Recognition();
            recognition.lang = document.documentElement.lang || "fr-FR";
            recognition.interimResults = false;
            recognition.onresult = (event) => {
                const said = Array.from(event.results)
                    .map((result) => result[0].transcript)
                    .join(" ");
                input.value = `${input.value} ${said}`.trim();
                voiceUsed = true;
                silence = 0;
            };
            recognition.start();
        });
    }
}

function start() {
    document.querySelectorAll(".o_career_interview").forEach(setupInterview);
}

if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
} else {
    start();
}
