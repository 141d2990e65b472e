import { registry } from "@web/core/registry";
import { postSignedEvent } from "@atelier_cti/../tests/tours/atelier_cti_tour";

/* Claire's day (issue #15), as she sees it. The tests give the line this
 * code and secret. */
const LINE = { line: "desk-day-line", secret: "desk-day-secret-0123456789abcdef" };
const POPUP = ".o_atelier_call_popup.o_atelier_call_expanded";

function callEvent(event, extra = {}) {
    return {
        event_id: `desk-day-${event}-${Date.now()}-${Math.random()}`,
        event,
        at: new Date().toISOString(),
        to: "+33 4 72 00 00 88",
        ...extra,
    };
}

/* Tour 1: a known client calls; the card shows her open ticket and next
 * appointment; Claire opens a ticket, then books Gaetan in three clicks.
 * The test then reads the confirmation e-mail on the SMTP server. */
registry.category("web_tour.tours").add("atelier_desk_day_known_caller_tour", {
    steps: () => [
        {
            content: "The web client is loaded",
            trigger: ".o_main_navbar",
        },
        {
            content: "Jeanne calls",
            trigger: ".o_main_navbar",
            run: () =>
                postSignedEvent(
                    callEvent("ringing", { call_id: "day-1", from: "+33 6 12 34 56 78" }),
                    LINE
                ),
        },
        {
            content: "The pop-up shows her card with her open ticket",
            trigger: `${POPUP}:has(.o_atelier_call_partner_name:contains(Jeanne Client)) .o_atelier_customer_card [data-section=tickets] .o_atelier_card_item:contains(Voyant moteur allumé)`,
        },
        {
            content: "and her next appointment",
            trigger: `${POPUP} .o_atelier_customer_card [data-section=appointments] .o_atelier_card_item:contains(Gaetan)`,
        },
        // --- a new ticket: team, type and client set from the line and caller
        {
            content: "Click 1: New ticket",
            trigger: `${POPUP} .o_atelier_call_new_ticket`,
            run: "click",
        },
        {
            content: "The ticket is prefilled with the caller",
            trigger: ".o_form_view .o_field_widget[name=partner_id] input:value(Jeanne Client)",
        },
        {
            content: "Claire says what it is about",
            trigger: ".o_form_view .o_field_widget[name=name] input",
            run: "edit Bruit au freinage",
        },
        {
            content: "Click 2: save",
            trigger: ".o_form_view .o_form_button_save",
            run: "click",
        },
        {
            content: "The ticket is saved",
            trigger: ".o_form_view .o_breadcrumb .active:contains(Bruit au freinage)",
        },
        {
            content: "The card in the pop-up shows it at once",
            trigger: `${POPUP} .o_atelier_customer_card [data-section=tickets] .o_atelier_card_item:contains(Bruit au freinage)`,
        },
        // --- a booking for Gaetan in three clicks
        {
            content: "Click 1: Book",
            trigger: `${POPUP} .o_atelier_call_book`,
            run: "click",
        },
        {
            content: "Click 2: the first free slot, Gaetan's",
            trigger: `${POPUP} .o_atelier_call_slots .o_atelier_call_slot:first:has(.o_atelier_call_slot_technician:contains(Gaetan))`,
            run: "click",
        },
        {
            content: "Click 3: confirm",
            trigger: `${POPUP} .o_atelier_call_booking_confirm_button`,
            run: "click",
        },
        {
            content: "The appointment is confirmed",
            trigger: `${POPUP} .o_atelier_call_booked:contains(Gaetan)`,
        },
        {
            content: "and her card lists both appointments",
            trigger: `${POPUP} .o_atelier_customer_card [data-section=appointments] .o_atelier_card_item:eq(1)`,
        },
        // --- an e-mail template in three clicks
        {
            content: "Click 1: Send a template",
            trigger: `${POPUP} .o_atelier_call_mailing_open`,
            run: "click",
        },
        {
            content: "Click 2: the documents to bring to the appointment",
            trigger: `${POPUP} .o_atelier_call_template:contains(documents à préparer)`,
            run: "click",
        },
        {
            content: "The preview is filled for Jeanne",
            trigger: `${POPUP} .o_atelier_call_mailing_body:contains(Bonjour Jeanne Client):contains(la carte grise du véhicule)`,
        },
        {
            content: "and signed by Claire, to Jeanne's address",
            trigger: `${POPUP} .o_atelier_call_mailing_preview:contains(deskday.jeanne@example.com) .o_atelier_call_mailing_body:contains(Cordialement):contains(Claire)`,
        },
        {
            content: "Click 3: Send",
            trigger: `${POPUP} .o_atelier_call_mailing_send`,
            run: "click",
        },
        {
            content: "The e-mail is sent",
            trigger: `${POPUP} .o_atelier_call_mailing_sent:contains(deskday.jeanne@example.com):contains(Les documents à préparer)`,
        },
        // --- a call back in two clicks, with an undo
        {
            content: "Click 1: Call back",
            trigger: `${POPUP} .o_atelier_call_callback_open`,
            run: "click",
        },
        {
            content: "Click 2: in an hour",
            trigger: `${POPUP} .o_atelier_call_callback_choice[data-key=hour]`,
            run: "click",
        },
        {
            content: "The call back is planned, with an undo",
            trigger: `${POPUP} .o_atelier_call_callback_planned:contains(in 1 hour) .o_atelier_call_callback_undo`,
            run: "click",
        },
        {
            content: "Undone",
            trigger: `${POPUP}:not(:has(.o_atelier_call_callback_planned))`,
        },
        {
            content: "Plan it again, the other quick choice",
            trigger: `${POPUP} .o_atelier_call_callback_open`,
            run: "click",
        },
        {
            content: "This afternoon, or the next morning",
            trigger: `${POPUP} .o_atelier_call_callback_choice:not([data-key=hour])`,
            run: "click",
        },
        {
            content: "Planned",
            trigger: `${POPUP} .o_atelier_call_callback_planned .o_atelier_call_callback_undo`,
        },
    ],
});

/* Tour 2: an unknown number is missed; the call-back activity is there;
 * Claire creates the contact from the number, calls back from Odoo, logs
 * the outcome; "Rien d'oublié" is empty again. */
registry.category("web_tour.tours").add("atelier_desk_day_missed_call_tour", {
    steps: () => [
        {
            content: "The web client is loaded",
            trigger: ".o_main_navbar",
        },
        {
            content: "An unknown number rings",
            trigger: ".o_main_navbar",
            run: () =>
                postSignedEvent(
                    callEvent("ringing", { call_id: "day-2", from: "+33 4 78 90 12 34" }),
                    LINE
                ),
        },
        {
            content: "It rings",
            trigger: `${POPUP}[data-state=ringing]`,
        },
        {
            content: "Nobody answers",
            trigger: `${POPUP}[data-state=ringing]`,
            run: () => postSignedEvent(callEvent("missed", { call_id: "day-2" }), LINE),
        },
        {
            content: "The call is missed",
            trigger: `${POPUP}[data-state=missed]`,
        },
        {
            content: "The call-back activity is in Claire's activities",
            trigger: ".o_menu_systray .o-mail-ActivityMenu-counter:contains(1)",
        },
        {
            content: "Claire creates the contact from the number",
            trigger: `${POPUP} .o_atelier_call_new_contact`,
            run: "click",
        },
        {
            content: "The number is already there",
            trigger: ".modal .o_field_widget[name=phone] input:value(78 90 12 34)",
        },
        {
            trigger: ".modal .o_field_widget[name=name] input",
            run: "edit Bruno Caillat",
        },
        {
            trigger: ".modal .o_form_button_save",
            run: "click",
        },
        {
            content: "The pop-up now names him",
            trigger: `${POPUP} .o_atelier_call_partner_name:contains(Bruno Caillat)`,
        },
        {
            content: "Open his contact",
            trigger: `${POPUP} .o_atelier_call_open_contact`,
            run: "click",
        },
        {
            content: "Claire calls back from Odoo",
            trigger: ".o_form_view:has(.o_breadcrumb:contains(Bruno Caillat)) button[name=action_atelier_dial]",
            run: "click",
        },
        {
            content: "The outgoing call pops up",
            trigger: `${POPUP}[data-direction=outbound] .o_atelier_call_outcome_select`,
            run: "select information",
        },
        {
            content: "She logs the outcome",
            trigger: `${POPUP}[data-direction=outbound] .o_atelier_call_outcome_save:enabled`,
            run: "click",
        },
        {
            content: "The outcome is logged",
            trigger: `${POPUP}[data-direction=outbound] .o_atelier_call_outcome_saved`,
        },
        {
            content: "The call-back activity is done",
            trigger: ".o_menu_systray:not(:has(.o-mail-ActivityMenu-counter))",
        },
        {
            content: "Open Rien d'oublié",
            trigger: ".o_main_navbar",
            run: () => {
                window.location = "/odoo/action-atelier_desk.atelier_desk_pending_action";
            },
            expectUnloadPage: true,
        },
        {
            content: "Nothing is waiting",
            trigger: ".o_action_manager:not(:has(.o_data_row)) .o_view_nocontent_smiling_face",
        },
    ],
});

/* Tour 3: the client on the portal sees her ticket and her appointment on
 * her card, and moves the appointment. The test then checks that her
 * agenda gets an update of the same event. */
registry.category("web_tour.tours").add("atelier_desk_day_portal_move_tour", {
    url: "/my",
    steps: () => [
        {
            content: "Her card shows her open ticket",
            trigger: ".o_atelier_portal_card [data-section=tickets] .o_atelier_portal_card_item:contains(Facture à corriger)",
        },
        {
            content: "and her appointment",
            trigger: ".o_atelier_portal_card [data-section=appointments] .o_atelier_portal_card_item a:contains(deskday diagnostic)",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "Her appointments",
            trigger: ".o_atelier_my_bookings a:contains(Manage)",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "Move it",
            trigger: ".o_atelier_booking_manage a:contains(Reschedule)",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "Pick another time",
            trigger: ".o_atelier_booking_slots button.o_atelier_slot:eq(2)",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "The appointment page again, still confirmed",
            trigger: ".o_atelier_booking_manage:contains(Confirmed)",
        },
    ],
});

/* Tour 5: two days after a ticket was closed the satisfaction e-mail went
 * out and the client answered (the test does both, time frozen, on the
 * SMTP server and the /rate/ page): the manager's dashboard shows it. */
registry.category("web_tour.tours").add("atelier_desk_day_survey_tour", {
    steps: () => [
        {
            content: "The satisfaction of the answer",
            trigger: ".o_atelier_kpi_csat .o_atelier_kpi_value:contains('5.0')",
        },
        {
            content: "and the J+2 survey answered",
            trigger: ".o_atelier_kpi_survey_rate:contains('1 of 1 requests (J+2)') .o_atelier_kpi_value:contains('100')",
        },
    ],
});
