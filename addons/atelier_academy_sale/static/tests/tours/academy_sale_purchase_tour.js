/** @odoo-module **/
// A learner buys the "Coaching primo-arrivants" package with the test
// payment provider and lands enrolled on their training dashboard.
import { registry } from "@web/core/registry";
import * as tourUtils from "@website_sale/js/tours/tour_utils";

registry.category("web_tour.tours").add("atelier_academy_sale_purchase", {
    steps: () => [
        {
            content: "The package page says what it includes",
            trigger: ".o_atelier_package_details:contains(hours of coaching)",
        },
        {
            content: "Add the package to the cart",
            trigger: "#product_detail form #add_to_cart",
            run: "click",
        },
        tourUtils.goToCart({ quantity: 1 }),
        // the learner's address is known: the checkout goes straight to payment
        tourUtils.goToCheckout(),
        ...tourUtils.payWithDemo(),
        {
            content: "The confirmation says the learner is enrolled",
            trigger: ".o_atelier_academy_confirmation:contains(You are enrolled.)",
        },
        {
            content: "Open the training dashboard",
            trigger: "a.o_atelier_training_link",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "The dashboard shows the enrolment in the package",
            trigger: ".o_atelier_enrolment:contains(Coaching primo-arrivants)",
        },
        {
            content: "with its coaching hours",
            trigger: ".o_atelier_enrolment .o_atelier_hours:contains(h left)",
        },
    ],
});
