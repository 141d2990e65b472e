# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from . import atelier_career_plan, atelier_career_subscription, sale_order
