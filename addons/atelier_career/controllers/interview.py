# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import json
import logging

from werkzeug.exceptions import NotFound

from odoo import SUPERUSER_ID, api, http
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.http import request

from .main import CareerPortal

_logger = logging.getLogger(__name__)

MAX_BODY = 16 * 1024


class CareerInterview(CareerPortal):
    """The interview screens and their JSON endpoints (the persona's reply
    comes as server-sent events)."""

    @http.route("/my/career/interview/new", type="http", auth="user", website=True)
    def interview_new(self, **kw):
        values = self._home_values(**self._flash())
        values["durations"] = (5, 10, 15, 20, 30)
        return request.render("atelier_career.portal_career_interview_new", values)

    @http.route(
        "/my/career/interview/start", type="http", auth="user", methods=["POST"]
    )
    def interview_start(self, persona_id=None, duration=None, job_id=None, **kw):
        env = request.env
        try:
            persona = env["atelier.career.persona"].sudo().browse(int(persona_id or 0))
        except ValueError:
            persona = env["atelier.career.persona"]
        job = self._own("atelier.career.job", job_id) if job_id else None
        try:
            session = env["atelier.career.session"]._start(
                persona,
                duration,
                consent=kw.get("consent") == "on",
                job=job,
                voice=kw.get("voice") == "on",
                training=kw.get("training") == "on",
                keep=kw.get("keep") == "on",
            )
        except UserError as exc:
            env.cr.rollback()
            return self._redirect_with("/my/career/interview/new", error=exc.args[0])
        return request.redirect(f"/my/career/interview/{session.id}")

    @http.route(
        "/my/career/interview/<int:session_id>", type="http", auth="user", website=True
    )
    def interview_screen(self, session_id, **kw):
        session = self._own("atelier.career.session", session_id)
        if session.state != "done" and session.sudo()._time_is_up():
            session.sudo()._end("time")
        values = self._home_values(**self._flash())
        settings = request.env["ir.config_parameter"].sudo()
        values.update(
            session=session,
            timer=session.sudo()._timer(),
            nudge_seconds=int(
                settings.get_param("atelier_career.nudge_seconds", 45) or 45
            ),
            courses=session.sudo()._recommended_courses(),
        )
        return request.render("atelier_career.portal_career_interview", values)

    @http.route("/my/career/interview/<int:session_id>/pdf", type="http", auth="user")
    def interview_pdf(self, session_id, **kw):
        session = self._own("atelier.career.session", session_id)
        if not (session.plan_id and session.plan_id.pdf_export):
            return self._redirect_with(
                f"/my/career/interview/{session.id}",
                error=request.env._("The PDF export is part of the Pro plan."),
            )
        pdf = session.sudo()._render_pdf()
        return request.make_response(
            pdf,
            headers=[
                ("Content-Type", "application/pdf"),
                ("Content-Disposition", http.content_disposition("entretien.pdf")),
            ],
        )

    @http.route(
        "/my/career/interview/<int:session_id>/privacy",
        type="http",
        auth="user",
        methods=["POST"],
    )
    def interview_privacy(self, session_id, **kw):
        session = self._own("atelier.career.session", session_id)
        session.action_share_with_manager(kw.get("share") == "on")
        session.action_keep_synthesis(kw.get("keep") == "on")
        return self._redirect_with(
            f"/my/career/interview/{session.id}", notice=request.env._("Choices saved.")
        )

    # ------------------------------------------------------------------
    # JSON endpoints of the interview screen
    # ------------------------------------------------------------------
    def _json_session(self, session_id):
        """(session, payload, None) or (None, None, an error response)."""
        httprequest = request.httprequest
        if httprequest.mimetype != "application/json":
            return None, None, self._json({"error": request.env._("Send JSON.")}, 415)
        if (httprequest.content_length or 0) > MAX_BODY:
            return None, None, self._json({"error": request.env._("Too long.")}, 413)
        try:
            payload = json.loads(httprequest.get_data(cache=False) or b"{}")
        except ValueError:
            payload = None
        if not isinstance(payload, dict):
            return (
                None,
                None,
                self._json({"error": request.env._("Invalid JSON.")}, 400),
            )
        try:
            session = self._own("atelier.career.session", session_id)
        except NotFound:
            return None, None, self._json({"error": request.env._("Not found.")}, 404)
        return session, payload, None

    def _json(self, data, status=200):
        return request.make_json_response(data, status=status)

    @http.route(
        "/my/career/interview/<int:session_id>/answer",
        type="http",
        auth="user",
        methods=["POST"],
        csrf=False,  # JSON only: a cross-site form cannot send it
    )
    def interview_answer(self, session_id, **kw):
        """POST ``{"text", "voice"?}``; answers with server-sent events:
        ``meta`` (the stored answer, a notice when it was cut), ``delta``
        (the persona's words) and ``done`` (the final line, the timer)."""
        session, payload, error = self._json_session(session_id)
        if error:
            return error
        try:
            answer = session.sudo()._record_answer(
                payload.get("text"), by_voice=bool(payload.get("voice"))
            )
        except UserError as exc:
            return self._json({"error": exc.args[0]}, 409)
        sudo = session.sudo()
        notices = [m.content for m in sudo.message_ids[-2:] if m.role == "notice"]
        meta = {"answer": answer, "notices": notices}
        if sudo.state == "done":
            meta["ended"] = True
            return self._json(meta)
        message, deltas = request.env["atelier.career.ai"]._persona_turn(
            session, answer, stream=True
        )
        meta.update(
            kind=message.kind if message else "closing", ended=sudo.state == "done"
        )
        return request.make_response(
            self._events(
                meta,
                deltas,
                message.id if message else 0,
                message.content if message else "",
                sudo._timer(),
            ),
            headers=[
                ("Content-Type", "text/event-stream; charset=utf-8"),
                ("Cache-Control", "no-cache, no-store"),
                ("X-Accel-Buffering", "no"),
            ],
        )

    def _events(self, meta, deltas, message_id, offline_text, timer):
        """The event stream; the registry is taken now, while the request is
        bound: the stream runs after the request's cursor is closed and
        stores the streamed line with a cursor of its own."""
        return self._event_stream(
            request.env.registry, meta, deltas, message_id, offline_text, timer
        )

    @staticmethod
    def _event_stream(registry, meta, deltas, message_id, offline_text, timer):
        def event(name, data):
            return f"event: {name}\ndata: {json.dumps(data, ensure_ascii=False)}\n\n"

        yield event("meta", meta)
        parts = []
        try:
            for delta in deltas:
                if delta:
                    parts.append(delta)
                    yield event("delta", {"text": delta})
        except Exception:  # never a broken stream: the offline line stands
            _logger.warning("Career: the persona's stream stopped", exc_info=True)
            parts = [offline_text]
        final = offline_text
        if message_id:
            try:
                with registry.cursor() as cr:
                    env = api.Environment(cr, SUPERUSER_ID, {})
                    final = env["atelier.career.ai"]._store_streamed(
                        message_id, "".join(parts), offline_text
                    )
            except Exception:
                _logger.warning(
                    "Career: the persona's line was not stored", exc_info=True
                )
        yield event("done", {"text": final, "timer": timer, "ended": meta.get("ended")})

    def _simple(self, session_id, method):
        session, _payload, error = self._json_session(session_id)
        if error:
            return error
        try:
            result = getattr(session, method)()
        except (UserError, AccessError) as exc:
            return self._json({"error": exc.args[0]}, 409)
        return self._json({"result": result, "timer": session.sudo()._timer()})

    @http.route(
        "/my/career/interview/<int:session_id>/pause",
        type="http",
        auth="user",
        methods=["POST"],
        csrf=False,
    )
    def interview_pause(self, session_id, **kw):
        return self._simple(session_id, "action_pause")

    @http.route(
        "/my/career/interview/<int:session_id>/resume",
        type="http",
        auth="user",
        methods=["POST"],
        csrf=False,
    )
    def interview_resume(self, session_id, **kw):
        return self._simple(session_id, "action_resume")

    @http.route(
        "/my/career/interview/<int:session_id>/nudge",
        type="http",
        auth="user",
        methods=["POST"],
        csrf=False,
    )
    def interview_nudge(self, session_id, **kw):
        return self._simple(session_id, "action_nudge")

    @http.route(
        "/my/career/interview/<int:session_id>/end",
        type="http",
        auth="user",
        methods=["POST"],
        csrf=False,
    )
    def interview_end(self, session_id, **kw):
        return self._simple(session_id, "action_end")

    # ------------------------------------------------------------------
    # webhooks (Pro): the subscription's holder manages its endpoints
    # ------------------------------------------------------------------
    def _own_webhook(self, webhook_id):
        webhook = (
            request.env["atelier.career.webhook"]
            ._portal_webhooks(request.env.user)
            .filtered(lambda w: w.id == webhook_id)
        )
        if not webhook:
            raise NotFound()
        return webhook

    @http.route("/my/career/webhooks", type="http", auth="user", website=True)
    def webhooks(self, **kw):
        Webhook = request.env["atelier.career.webhook"]
        user = request.env.user
        values = self._home_values(**self._flash())
        values.update(
            webhook_subscriptions=Webhook._portal_subscriptions(user),
            webhooks=Webhook._portal_webhooks(user),
            secret=request.session.pop("atelier_career_secret", None),
        )
        return request.render("atelier_career.portal_career_webhooks", values)

    @http.route("/my/career/webhooks/new", type="http", auth="user", methods=["POST"])
    def webhook_new(self, subscription_id=None, name=None, url=None, **kw):
        try:
            webhook = request.env["atelier.career.webhook"]._portal_create(
                request.env.user,
                int(subscription_id) if str(subscription_id or "").isdigit() else 0,
                name,
                url,
            )
        except (UserError, ValidationError) as exc:
            request.env.cr.rollback()
            return self._redirect_with("/my/career/webhooks", error=exc.args[0])
        request.session["atelier_career_secret"] = webhook.sudo().secret
        return self._redirect_with(
            "/my/career/webhooks", notice=request.env._("Webhook added.")
        )

    @http.route(
        "/my/career/webhooks/<int:webhook_id>/rotate",
        type="http",
        auth="user",
        methods=["POST"],
    )
    def webhook_rotate(self, webhook_id, **kw):
        webhook = self._own_webhook(webhook_id)
        request.session["atelier_career_secret"] = webhook._portal_rotate()
        return self._redirect_with(
            "/my/career/webhooks", notice=request.env._("New secret made.")
        )

    @http.route(
        "/my/career/webhooks/<int:webhook_id>/enable",
        type="http",
        auth="user",
        methods=["POST"],
    )
    def webhook_enable(self, webhook_id, **kw):
        self._own_webhook(webhook_id)._portal_enable()
        return self._redirect_with(
            "/my/career/webhooks", notice=request.env._("Webhook enabled again.")
        )

    @http.route(
        "/my/career/webhooks/<int:webhook_id>/delete",
        type="http",
        auth="user",
        methods=["POST"],
    )
    def webhook_delete(self, webhook_id, **kw):
        self._own_webhook(webhook_id).sudo().unlink()
        return self._redirect_with(
            "/my/career/webhooks", notice=request.env._("Webhook deleted.")
        )

    # ------------------------------------------------------------------
    # manager space
    # ------------------------------------------------------------------
    @http.route("/my/career/team", type="http", auth="user", website=True)
    def team(self, **kw):
        values = self._home_values()
        values.update(
            request.env["atelier.career.session"]._team_report(request.env.user)
        )
        return request.render("atelier_career.portal_career_team", values)

    @http.route(
        "/my/career/team/session/<int:session_id>",
        type="http",
        auth="user",
        website=True,
    )
    def team_session(self, session_id, **kw):
        session = request.env["atelier.career.session"]._team_shared_session(
            request.env.user, session_id
        )
        if not session:
            raise NotFound()
        values = self._home_values()
        values.update(session=session, courses=[])
        return request.render("atelier_career.portal_career_team_session", values)
