import { registry } from "@web/core/registry";

registry.category("web_tour.tours").add("atelier_alex_p0301_tour", {
    steps: () => [
        {
            content: "Alex waits in a corner of the portal",
            trigger: ".o_atelier_alex_launcher",
            run: "click",
        },
        {
            content: "Ask about the trouble code",
            trigger: ".o_atelier_alex_input",
            run: "edit Que veut dire le code P0301 ?",
        },
        {
            content: "Send the question",
            trigger: ".o_atelier_alex_send:enabled",
            run: "click",
        },
        {
            content: "The answer cites the code page",
            trigger: ".o_atelier_alex_answer a.o_atelier_alex_cite[href='/kb/code/P0301']",
        },
        {
            content: "and lists it among its sources",
            trigger: ".o_atelier_alex_sources a.o_atelier_alex_source[href='/kb/code/P0301']:contains('P0301')",
        },
        {
            content: "A person is one click away",
            trigger: ".o_atelier_alex_handoff button",
        },
    ],
});
