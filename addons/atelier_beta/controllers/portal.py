# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The testers' side of the beta on the portal: their page, feedback with a
screenshot, the board where activated testers vote, the opt-in
leaderboard. Every page starts from the signed-in user's own sign-up;
other testers' posts are shown through a fixed list of public fields."""

from werkzeug.exceptions import NotFound

from odoo import http
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.http import request

from odoo.addons.portal.controllers.portal import CustomerPortal

BOARD_LIMIT = 100


class AtelierBetaPortal(CustomerPortal):
    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        if "atelier_beta_count" in counters:
            values["atelier_beta_count"] = len(self._beta_tester()) and 1
        return values

    # ------------------------------------------------------------------
    # helpers
    # ------------------------------------------------------------------
    def _beta_tester(self):
        """The signed-in user's sign-up in the beta (sudo), or empty."""
        user = request.env.user
        if user._is_public():
            return request.env["atelier.beta.signup"].sudo()
        return (
            request.env["atelier.beta.signup"]
            .sudo()
            .search([("user_id", "=", user.id), ("state", "=", "tester")], limit=1)
        )

    def _beta_require_tester(self):
        tester = self._beta_tester()
        if not tester:
            raise NotFound()
        return tester

    def _beta_values(self, tester, **extra):
        values = self._prepare_portal_layout_values()
        values.update({"tester": tester, "page_name": "atelier_beta", **extra})
        return values

    def _beta_message(self, title, text, status):
        return request.render(
            "atelier_crm.public_message",
            {"title": title, "message": text, "kind": "warning"},
            status=status,
        )

    def _beta_feedback_form_values(self, tester):
        """What the feedback form offers (glue addons add the sessions)."""
        Feedback = request.env["atelier.beta.feedback"]
        return {"kinds": Feedback._fields["kind"]._description_selection(request.env)}

    # ------------------------------------------------------------------
    # the tester's page
    # ------------------------------------------------------------------
    @http.route("/my/beta", type="http", auth="user", website=True, methods=["GET"])
    def portal_my_beta(self, welcome=None, **kw):
        tester = self._beta_require_tester()
        user = tester.user_id
        badges = (
            request.env["gamification.badge.user"]
            .sudo()
            .search(
                [
                    ("user_id", "=", user.id),
                    ("badge_id", "in", user._atelier_beta_badges().ids),
                ]
            )
        )
        feedback = (
            request.env["atelier.beta.feedback"]
            .sudo()
            .search([("author_id", "=", tester.id)], order="create_date desc")
        )
        return request.render(
            "atelier_beta.portal_my_beta",
            self._beta_values(
                tester,
                welcome=bool(welcome),
                badges=badges,
                feedback=feedback,
                karma=user.karma,
                rank=user.rank_id,
            ),
        )

    @http.route(
        "/my/beta/leaderboard/optin",
        type="http",
        auth="user",
        website=True,
        methods=["POST"],
    )
    def portal_my_beta_leaderboard_optin(self, optin=None, **kw):
        tester = self._beta_require_tester()
        tester.leaderboard_optin = bool(optin)
        return request.redirect("/my/beta/leaderboard" if optin else "/my/beta")

    @http.route(
        "/my/beta/leaderboard", type="http", auth="user", website=True, methods=["GET"]
    )
    def portal_my_beta_leaderboard(self, **kw):
        tester = self._beta_require_tester()
        if not tester.leaderboard_optin:
            return request.render(
                "atelier_beta.portal_leaderboard_optin",
                self._beta_values(tester),
                status=403,
            )
        rows = request.env["atelier.beta.signup"]._atelier_leaderboard()
        return request.render(
            "atelier_beta.portal_leaderboard", self._beta_values(tester, rows=rows)
        )

    # ------------------------------------------------------------------
    # feedback
    # ------------------------------------------------------------------
    @http.route(
        "/my/beta/feedback/new", type="http", auth="user", website=True, methods=["GET"]
    )
    def portal_beta_feedback_new(self, **params):
        tester = self._beta_require_tester()
        form = {
            key: params.get(key)
            for key in ("kind", "name", "description", "session_id")
        }
        return request.render(
            "atelier_beta.portal_feedback_form",
            self._beta_values(
                tester,
                form=form,
                error=False,
                **self._beta_feedback_form_values(tester),
            ),
        )

    @http.route(
        "/my/beta/feedback", type="http", auth="user", website=True, methods=["POST"]
    )
    def portal_beta_feedback_post(self, **form):
        env = request.env
        tester = self._beta_require_tester()
        upload = request.httprequest.files.get("screenshot")
        data = None
        if upload and upload.filename:
            limit_kb = tester._atelier_param("screenshot_max_kb", 5120)
            data = upload.stream.read(limit_kb * 1024 + 1)
        try:
            feedback = env["atelier.beta.feedback"]._atelier_post(
                tester, form, screenshot=data
            )
        except (ValidationError, UserError, AccessError) as exc:
            form.pop("csrf_token", None)
            return request.render(
                "atelier_beta.portal_feedback_form",
                self._beta_values(
                    tester,
                    form=form,
                    error=str(exc),
                    **self._beta_feedback_form_values(tester),
                ),
                status=400,
            )
        return request.redirect(f"/my/beta/feedback/{feedback.id}?posted=1")

    @http.route(
        "/my/beta/board", type="http", auth="user", website=True, methods=["GET"]
    )
    def portal_beta_board(self, kind=None, **kw):
        tester = self._beta_require_tester()
        rows = request.env["atelier.beta.feedback"]._atelier_board(
            tester, kind=kind, limit=BOARD_LIMIT
        )
        return request.render(
            "atelier_beta.portal_board",
            self._beta_values(
                tester, rows=rows, kind=kind, can_vote=bool(tester.activated_at)
            ),
        )

    @http.route(
        "/my/beta/feedback/<int:feedback_id>",
        type="http",
        auth="user",
        website=True,
        methods=["GET"],
    )
    def portal_beta_feedback(self, feedback_id, posted=None, **kw):
        tester = self._beta_require_tester()
        feedback = (
            request.env["atelier.beta.feedback"].sudo().browse(feedback_id).exists()
        )
        if not feedback:
            raise NotFound()
        own = feedback.author_id == tester
        if not own and not feedback._atelier_on_board():
            raise NotFound()
        return request.render(
            "atelier_beta.portal_feedback",
            self._beta_values(
                tester,
                row=feedback._atelier_public_row(tester),
                feedback=feedback if own else None,
                own=own,
                posted=bool(posted),
                can_vote=bool(tester.activated_at),
            ),
        )

    @http.route(
        "/my/beta/feedback/<int:feedback_id>/vote",
        type="http",
        auth="user",
        website=True,
        methods=["POST"],
    )
    def portal_beta_vote(self, feedback_id, **kw):
        env = request.env
        tester = self._beta_require_tester()
        feedback = env["atelier.beta.feedback"].sudo().browse(feedback_id).exists()
        if not feedback or not (
            feedback._atelier_on_board() or feedback.author_id == tester
        ):
            raise NotFound()
        try:
            new = env["atelier.beta.vote"]._atelier_vote(feedback, tester)
        except AccessError as exc:
            return self._beta_message(env._("Vote"), str(exc), 403)
        except UserError as exc:
            return self._beta_message(env._("Vote"), str(exc), 400)
        if not new:
            return self._beta_message(
                env._("Vote"), env._("You have voted for this already."), 409
            )
        return request.redirect(f"/my/beta/board#o_atelier_beta_fb_{feedback.id}")
