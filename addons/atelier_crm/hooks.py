# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

# Odoo's own rule, given back on uninstall
CRM_PERSONAL_RULE = "['|',('user_id','=',user.id),('user_id','=',False)]"


def uninstall_hook(env):
    rule = env.ref("crm.crm_rule_personal_lead", raise_if_not_found=False)
    if rule:
        rule.domain_force = CRM_PERSONAL_RULE
