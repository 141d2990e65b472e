# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
{
    "name": "Atelier Academy Sale",
    "summary": "Coaching packages sold online (website_sale, Stripe): enrolment "
    "on payment, team seats invited from the portal, access revoked on refund",
    "version": "19.0.1.0.0",
    "category": "Atelier",
    "website": "https://github.com/atelier-suite/atelier",
    "author": "Atelier",
    "license": "AGPL-3",
    "depends": [
        "atelier_academy",
        "website_sale_slides",
        "payment_stripe",
    ],
    "data": [
        "security/ir.model.access.csv",
        "security/atelier_academy_sale_rules.xml",
        "data/product_data.xml",
        "data/mail_template_data.xml",
        "views/atelier_academy_purchase_views.xml",
        "views/atelier_academy_package_views.xml",
        "views/atelier_academy_enrolment_views.xml",
        "views/sale_order_views.xml",
        "views/res_config_settings_views.xml",
        "views/atelier_academy_sale_menus.xml",
        "views/website_sale_templates.xml",
        "views/portal_templates.xml",
    ],
    "demo": [
        "demo/atelier_academy_sale_demo.xml",
    ],
    "assets": {
        "web.assets_tests": [
            "atelier_academy_sale/static/tests/tours/**/*",
        ],
    },
}
