/* The beta's public pages: the device id of the sign-up form (kept in this
 * browser's localStorage, posted with the form; no cookie) and the copy
 * button of the referral link. */
(function () {
    "use strict";
    const KEY = "atelier_beta_device";

    function newId() {
        if (window.crypto && window.crypto.randomUUID) {
            return window.crypto.randomUUID();
        }
        const bytes = new Uint8Array(16);
        window.crypto.getRandomValues(bytes);
        bytes[6] = (bytes[6] & 0x0f) | 0x40;
        bytes[8] = (bytes[8] & 0x3f) | 0x80;
        const hex = Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
        return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
    }

    function deviceId() {
        try {
            let value = window.localStorage.getItem(KEY);
            if (!value) {
                value = newId();
                window.localStorage.setItem(KEY, value);
            }
            return value;
        } catch {
            return ""; // storage refused (private mode): the form works without
        }
    }

    function setup() {
        for (const input of document.querySelectorAll("form.o_atelier_beta_signup input[name='device_id']")) {
            input.value = deviceId();
        }
        for (const button of document.querySelectorAll(".o_atelier_beta_copy")) {
            button.addEventListener("click", () => {
                const target = document.getElementById(button.dataset.target);
                if (!target) {
                    return;
                }
                target.select();
                if (navigator.clipboard) {
                    navigator.clipboard.writeText(target.value).catch(() => {});
                }
                button.classList.add("o_atelier_beta_copied");
            });
        }
    }

    if (document.readyState === "loading") {
        document.addEventListener("DOMContentLoaded", setup);
    } else {
        setup();
    }
})();
