# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Server-side gating of every eLearning route (ODOO19.md #33).

Odoo's prerequisites only hide the Join button. Each route below asks the
models (``slide.channel._atelier_lock_reasons``,
``slide.slide._atelier_lock_reasons``) and refuses a closed course or
lesson with the French reason: an HTTP 403 page for pages, an
``{"error": "atelier_locked", "error_message": …}`` answer for JSON routes.
The model methods the routes call refuse too, for RPC callers.
"""

from odoo import http
from odoo.exceptions import UserError
from odoo.http import request

from odoo.addons.website_slides_survey.controllers.slides import WebsiteSlidesSurvey

LOCKED = "atelier_locked"


class AtelierAcademySlides(WebsiteSlidesSurvey):
    # ------------------------------------------------------------------
    # helpers
    # ------------------------------------------------------------------
    def _atelier_slide_lock(self, slide, view_only=False):
        """The reason ``slide`` is closed to the current user, or False."""
        if not slide or not slide.exists() or not slide.has_access("read"):
            return False  # Odoo's own checks answer
        return slide._atelier_lock_reason(request.env.user.partner_id, view_only)

    def _atelier_locked_page(self, reason, slide=None, channel=None):
        channel = channel or (slide.sudo().channel_id if slide else None)
        return request.render(
            "atelier_academy.gating_locked_page",
            {"reason": reason, "channel": channel, "slide": slide and slide.sudo()},
            status=403,
        )

    @staticmethod
    def _atelier_locked_json(reason):
        return {"error": LOCKED, "error_message": reason}

    def _atelier_fetch_lock(self, slide_id, view_only=False):
        """(slide, reason) for the JSON routes taking a slide id."""
        try:
            slide_id = int(slide_id)
        except (TypeError, ValueError):
            return None, False
        slide = request.env["slide.slide"].browse(slide_id)
        return slide, self._atelier_slide_lock(slide, view_only)

    # ------------------------------------------------------------------
    # course
    # ------------------------------------------------------------------
    @http.route()
    def slide_channel_join(self, channel_id):
        if not request.website.is_public_user():
            try:
                channel = request.env["slide.channel"].browse(int(channel_id)).exists()
            except (TypeError, ValueError):
                return {"error": "join_done"}
            if channel:
                reasons = channel._atelier_lock_reasons(request.env.user.partner_id)
                if reasons.get(channel.id):
                    return self._atelier_locked_json(reasons[channel.id])
        return super().slide_channel_join(channel_id)

    # ------------------------------------------------------------------
    # lesson pages
    # ------------------------------------------------------------------
    @http.route()
    def slide_view(self, slide, **kwargs):
        reason = self._atelier_slide_lock(slide, view_only=True)
        if reason:
            return self._atelier_locked_page(reason, slide=slide)
        return super().slide_view(slide, **kwargs)

    @http.route()
    def slide_get_pdf_content(self, slide):
        reason = self._atelier_slide_lock(slide, view_only=True)
        if reason:
            return self._atelier_locked_page(reason, slide=slide)
        return super().slide_get_pdf_content(slide)

    def _slide_embed(self, slide_id, page="1", is_external_embed=False, **kw):
        slide, reason = self._atelier_fetch_lock(slide_id, view_only=True)
        if reason:
            return self._atelier_locked_page(reason, slide=slide)
        return super()._slide_embed(
            slide_id, page=page, is_external_embed=is_external_embed, **kw
        )

    @http.route()
    def get_html_content(self, slide_id):
        _slide, reason = self._atelier_fetch_lock(slide_id, view_only=True)
        if reason:
            return self._atelier_locked_json(reason)
        return super().get_html_content(slide_id)

    # ------------------------------------------------------------------
    # completion
    # ------------------------------------------------------------------
    @http.route()
    def slide_set_completed_and_redirect(self, slide, next_slide_id=None):
        reason = self._atelier_slide_lock(slide)
        if reason:
            return self._atelier_locked_page(reason, slide=slide)
        return super().slide_set_completed_and_redirect(
            slide, next_slide_id=next_slide_id
        )

    @http.route()
    def slide_set_completed(self, slide_id):
        _slide, reason = self._atelier_fetch_lock(slide_id)
        if reason:
            return self._atelier_locked_json(reason)
        return super().slide_set_completed(slide_id)

    # ------------------------------------------------------------------
    # quiz
    # ------------------------------------------------------------------
    @http.route()
    def slide_quiz_get(self, slide_id):
        _slide, reason = self._atelier_fetch_lock(slide_id)
        if reason:
            return self._atelier_locked_json(reason)
        return super().slide_quiz_get(slide_id)

    @http.route()
    def slide_quiz_submit(self, slide_id, answer_ids):
        slide, reason = self._atelier_fetch_lock(slide_id)
        if reason:
            return self._atelier_locked_json(reason)
        if not isinstance(answer_ids, list) or not all(
            isinstance(answer_id, int) for answer_id in answer_ids
        ):
            return {"error": "slide_quiz_incomplete"}
        result = super().slide_quiz_submit(slide_id, answer_ids)
        if isinstance(result, dict) and not result.get("error") and slide:
            answers = request.env["slide.answer"].sudo().browse(answer_ids).exists()
            try:
                slide._atelier_record_quiz_attempt(answers)
            except UserError as exc:
                return self._atelier_locked_json(exc.args[0])
        return result

    # ------------------------------------------------------------------
    # exam (certification)
    # ------------------------------------------------------------------
    @http.route()
    def slide_get_certification_url(self, slide_id, **kw):
        slide, reason = self._atelier_fetch_lock(slide_id)
        if reason:
            return self._atelier_locked_page(reason, slide=slide)
        return super().slide_get_certification_url(slide_id, **kw)
