/** The CV editor: every change is saved and the preview reloads, so the
 * chosen template and the text show at once. */
import { _t } from "@web/core/l10n/translation";

function setupEditor(form) {
    const cvId = form.dataset.cvId;
    const frame = document.querySelector(".o_career_preview");
    const status = form.querySelector(".o_career_autosave");
    let timer = null;
    const save = async () => {
        const data = new FormData(form);
        data.append("ajax", "1");
        status.textContent = _t("Saving…");
        const response = await fetch(`/my/career/cv/${cvId}/save`, { method: "POST", body: data });
        const result = await response.json().catch(() => ({}));
        if (!response.ok || result.error) {
            status.textContent = result.error || _t("Not saved.");
            return;
        }
        status.textContent = _t("Saved.");
        document.querySelectorAll(".o_career_ats_badge").forEach((badge) => {
            badge.classList.toggle("d-none", !result.ats_friendly);
        });
        if (frame) {
            frame.src = `/my/career/cv/${cvId}/preview?t=${Date.now()}`;
        }
    };
    form.addEventListener("change", () => {
        clearTimeout(timer);
        timer = setTimeout(save, 300);
    });
}

function start() {
    document.querySelectorAll("form.o_career_cv_form").forEach(setupEditor);
}

if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
} else {
    start();
}
