/**
 * Measured time on task: while a lesson page is visible and the learner
 * active (an input in the last 60 s), beat every 30 s. The server credits
 * the time since the previous beat, caps idle time and refuses beats for a
 * lesson the learner may not follow.
 */
const BEAT_MS = 30000;
const ACTIVE_MS = 60000;

function currentSlideId(marker) {
    if (marker.dataset.fullscreen) {
        // the fullscreen player switches lessons without reloading
        const active = document.querySelector(".o_wslides_fs_sidebar_list_item.active");
        if (active && active.dataset.id) {
            return active.dataset.id;
        }
    }
    return marker.dataset.slideId;
}

function start(marker) {
    let lastInput = Date.now();
    let stopped = false;
    const touch = () => {
        lastInput = Date.now();
    };
    for (const type of ["mousemove", "keydown", "scroll", "touchstart", "click", "wheel"]) {
        window.addEventListener(type, touch, { passive: true });
    }
    const beat = async () => {
        if (stopped || document.visibilityState !== "visible") {
            return;
        }
        if (Date.now() - lastInput > ACTIVE_MS) {
            return;
        }
        const body = new URLSearchParams({
            slide_id: currentSlideId(marker),
            ts: String(Date.now()),
            csrf_token: odoo.csrf_token,
        });
        try {
            const response = await fetch("/academy/heartbeat", { method: "POST", body });
            if (response.status === 403 || response.status === 401) {
                // a closed lesson or a lost session: stop beating
                stopped = true;
            }
        } catch {
            // offline: the next beat tries again
        }
    };
    setInterval(beat, BEAT_MS);
    document.addEventListener("visibilitychange", () => {
        if (document.visibilityState === "visible") {
            touch();
        }
    });
}

function init() {
    const marker = document.querySelector(".o_atelier_heartbeat");
    if (marker) {
        start(marker);
    }
}

if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
} else {
    init();
}
