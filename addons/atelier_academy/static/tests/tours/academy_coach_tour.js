import { registry } from "@web/core/registry";

// A coach sees the learner's weak competencies and marks attendance.
registry.category("web_tour.tours").add("atelier_academy_coach_tour", {
    steps: () => [
        {
            content: "The weak competency of the group",
            trigger: ".o_atelier_cockpit_weak_row:contains('tour-VE-isolation-HT')",
        },
        {
            content: "…and on the learner's row",
            trigger: ".o_atelier_cockpit_learner[data-learner='Lina Apprenante'] .o_atelier_cockpit_learner_weak:contains('tour-VE-isolation-HT')",
        },
        {
            content: "Mark Lina present",
            trigger: ".o_atelier_cockpit_attendance[data-learner='Lina Apprenante'] button[data-state='present']",
            run: "click",
        },
        {
            trigger: ".o_atelier_cockpit_attendance[data-learner='Lina Apprenante'][data-state='present']",
        },
    ],
});
