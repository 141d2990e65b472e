# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models

from ..tools.identity import DEFAULT_DISPOSABLE_DOMAINS


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    atelier_beta_places_per_referral = fields.Integer(
        string="Queue places per credited referral",
        config_parameter="atelier_beta.places_per_referral",
        default=10,
    )
    atelier_beta_max_referral_credits = fields.Integer(
        string="Referrals that move someone up, at most",
        config_parameter="atelier_beta.max_referral_credits",
        default=10,
    )
    atelier_beta_invitation_days = fields.Integer(
        string="Invitations valid for (days)",
        config_parameter="atelier_beta.invitation_days",
        default=7,
    )
    atelier_beta_karma_bug = fields.Integer(
        string="Karma of an accepted bug",
        config_parameter="atelier_beta.karma_bug",
        default=50,
    )
    atelier_beta_karma_idea = fields.Integer(
        string="Karma of an accepted idea",
        config_parameter="atelier_beta.karma_idea",
        default=30,
    )
    atelier_beta_karma_praise = fields.Integer(
        string="Karma of accepted praise",
        config_parameter="atelier_beta.karma_praise",
        default=10,
    )
    atelier_beta_karma_per_referral = fields.Integer(
        string="Karma of a credited referral",
        config_parameter="atelier_beta.karma_per_referral",
        default=20,
    )
    atelier_beta_refuse_disposable = fields.Boolean(
        string="Refuse disposable e-mail addresses",
        config_parameter="atelier_beta.refuse_disposable",
        default=True,
    )
    atelier_beta_disposable_domains = fields.Char(
        string="Disposable domains",
        config_parameter="atelier_beta.disposable_domains",
        default=", ".join(DEFAULT_DISPOSABLE_DOMAINS),
        help="Separated by commas or spaces; their sub-domains are refused too.",
    )
    atelier_beta_screenshot_max_kb = fields.Integer(
        string="Largest screenshot (KB)",
        config_parameter="atelier_beta.screenshot_max_kb",
        default=5120,
    )
    atelier_beta_manager_user_id = fields.Many2one(
        "res.users",
        string="Beta manager",
        config_parameter="atelier_beta.manager_user_id",
        domain=[("share", "=", False)],
        help="Receives the follow-up of detractors and the referrals to review.",
    )

    def set_values(self):
        old = {
            key: self.env["atelier.beta.signup"]._atelier_param(key, 10)
            for key in ("places_per_referral", "max_referral_credits")
        }
        res = super().set_values()
        new = {
            key: self.env["atelier.beta.signup"]._atelier_param(key, 10)
            for key in ("places_per_referral", "max_referral_credits")
        }
        if old != new:
            self.env["atelier.beta.signup"].sudo()._atelier_rerank()
        return res
