import { registry } from "@web/core/registry";

// A learner opens a lesson (completing it) and sees the progress.
registry.category("web_tour.tours").add("atelier_academy_learner_tour", {
    steps: () => [
        {
            content: "Open the first lesson",
            trigger: "a.o_wslides_js_slides_list_slide_link:contains('leçon 1')",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "The lessons show their estimated duration",
            trigger: ".o_wslides_fs_sidebar_list_item .o_atelier_slide_duration:contains('15 min')",
        },
        {
            trigger: ".o_atelier_heartbeat:not(:visible)",
            run() {
                window.location.href = "/my/academy";
            },
            expectUnloadPage: true,
        },
        {
            content: "The dashboard shows the progress of the course",
            trigger: ".o_atelier_course_step:contains('Moteurs thermiques') .o_atelier_course_completion:contains('25 %')",
        },
        {
            trigger: ".o_atelier_enrolment .o_atelier_hours:contains('10.0 h left')",
        },
        {
            content: "Sign the presence of the half-day",
            trigger: "button.o_atelier_sign",
            run: "click",
            expectUnloadPage: true,
        },
        {
            trigger: ".o_atelier_signed",
        },
    ],
});
