/* Atelier booking: tell the server the visitor's time zone. */
(function () {
    "use strict";
    function run() {
        let tz = "";
        try {
            tz = Intl.DateTimeFormat().resolvedOptions().timeZone || "";
        } catch {
            return;
        }
        if (!tz) {
            return;
        }
        for (const link of document.querySelectorAll("a.o_atelier_book_tz_link")) {
            const url = new URL(link.href, window.location.href);
            url.searchParams.set("tz", tz);
            link.href = url.pathname + url.search;
        }
    }
    if (document.readyState === "loading") {
        document.addEventListener("DOMContentLoaded", run);
    } else {
        run();
    }
})();
