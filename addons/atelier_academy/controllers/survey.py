# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.http import request

from odoo.addons.website_slides_survey.controllers.survey import Survey

LOCKED = "atelier_locked"


class AtelierAcademySurvey(Survey):
    """The exam of a closed course cannot be started nor answered.

    Every survey route (start, page, begin, next question, submit) checks
    the answer's validity here first.
    """

    def _check_validity(
        self,
        survey_sudo,
        answer_sudo,
        answer_token,
        ensure_token=True,
        check_partner=True,
    ):
        validity = super()._check_validity(
            survey_sudo,
            answer_sudo,
            answer_token,
            ensure_token=ensure_token,
            check_partner=check_partner,
        )
        if (
            validity is True
            and answer_sudo
            and answer_sudo.slide_id
            and answer_sudo.partner_id
            and answer_sudo.state != "done"
        ):
            reason = answer_sudo.slide_id.with_user(
                request.env.user
            )._atelier_lock_reason(answer_sudo.partner_id)
            if reason:
                request.update_context(atelier_lock_reason=reason)
                return LOCKED
        return validity

    def _redirect_with_error(self, access_data, error_key):
        if error_key == LOCKED:
            slide = access_data["answer_sudo"].slide_id
            return request.render(
                "atelier_academy.gating_locked_page",
                {
                    "reason": request.env.context.get("atelier_lock_reason"),
                    "slide": slide,
                    "channel": slide.channel_id,
                },
                status=403,
            )
        return super()._redirect_with_error(access_data, error_key)
