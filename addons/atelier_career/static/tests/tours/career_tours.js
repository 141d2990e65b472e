import { registry } from "@web/core/registry";

registry.category("web_tour.tours").add("atelier_career_cv_tour", {
    url: "/my/career",
    steps: () => [
        {
            trigger: ".o_career_home input[name=name]",
            run: "edit CV technicienne",
        },
        {
            content: "Create the CV",
            trigger: "button.o_career_cv_new",
            run: "click",
            expectUnloadPage: true,
        },
        {
            trigger: "#cv_headline",
            run: "edit Technicienne diagnostic",
        },
        {
            trigger: "#cv_profile",
            run: "edit Technicienne automobile, je diagnostique les pannes électriques et conseille les clients.",
        },
        {
            content: "Add a work experience",
            trigger: "button.o_career_add_experience",
            run: "click",
            expectUnloadPage: true,
        },
        {
            trigger: ".o_career_line[data-section=experience] input.o_career_line_title",
            run: "edit Mécanicienne",
        },
        {
            content: "Save",
            trigger: "button.o_career_save",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "Check the CV as an applicant-tracking system reads it",
            trigger: "button.o_career_ats_check",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "The CV is ATS-friendly",
            trigger: ".o_career_ats_badge:not(.d-none)",
        },
        {
            content: "Download the PDF",
            trigger: "a.o_career_download",
            run: async function () {
                const link = document.querySelector("a.o_career_download");
                const response = await fetch(link.href);
                const type = response.headers.get("Content-Type");
                if (type !== "application/pdf" || response.headers.get("X-Atelier-Ats") !== "passed") {
                    throw new Error(`Not a checked PDF: ${type}`);
                }
                document.body.classList.add("o_career_pdf_downloaded");
            },
        },
        {
            trigger: "body.o_career_pdf_downloaded",
        },
    ],
});

registry.category("web_tour.tours").add("atelier_career_interview_tour", {
    url: "/my/career",
    steps: () => [
        {
            trigger: "a.o_career_interview_new",
            run: "click",
            expectUnloadPage: true,
        },
        {
            trigger: ".o_career_start_form input[name=persona_id]:first",
            run: "click",
        },
        {
            trigger: "select[name=duration]",
            run: "select 5",
        },
        {
            content: "Give consent",
            trigger: "input#career_consent",
            run: "click",
        },
        {
            trigger: "button.o_career_start",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "The persona asks its first question",
            trigger: ".o_career_msg_persona",
        },
        {
            trigger: "textarea.o_career_answer",
            run: "edit Par exemple, j'ai lu les codes défaut à la valise et mesuré le capteur au multimètre : 0,4 V au lieu de 5 V.",
        },
        {
            trigger: "button.o_career_send",
            run: "click",
        },
        {
            content: "The persona answers (streamed)",
            trigger: ".o_career_msg_persona:eq(1):not(:empty)",
        },
        {
            trigger: "button.o_career_end",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "The synthesis is there, with quotes",
            trigger: ".o_career_synthesis_card .o_career_scores",
        },
        {
            trigger: "a.o_career_session_pdf",
            run: async function () {
                const link = document.querySelector("a.o_career_session_pdf");
                const response = await fetch(link.href);
                if (response.headers.get("Content-Type") !== "application/pdf") {
                    throw new Error("The synthesis PDF is missing");
                }
                document.body.classList.add("o_career_pdf_downloaded");
            },
        },
        {
            trigger: "body.o_career_pdf_downloaded",
        },
    ],
});
