# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
{
    "name": "Atelier Career Sale",
    "summary": "The career plans sold as products: a confirmed order opens the "
    "learner's or the team's subscription",
    "version": "19.0.1.0.0",
    "category": "Atelier",
    "website": "https://github.com/atelier-suite/atelier",
    "author": "Atelier",
    "license": "AGPL-3",
    "depends": ["atelier_career", "sale"],
    "auto_install": True,
    "data": [
        "data/product_data.xml",
        "views/atelier_career_plan_views.xml",
        "views/atelier_career_subscription_views.xml",
    ],
}
