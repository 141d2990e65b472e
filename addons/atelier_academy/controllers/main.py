# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import re
from datetime import timedelta

from werkzeug.exceptions import NotFound

from odoo import fields, http
from odoo.exceptions import AccessError, MissingError, UserError
from odoo.http import content_disposition, request

from odoo.addons.portal.controllers.portal import CustomerPortal

from ..models.atelier_academy_timelog import HeartbeatRefused

CODE_RE = re.compile(r"^[A-Z0-9-]{4,40}$")


class AtelierAcademyPortal(CustomerPortal):
    """The learner's dashboard, heartbeats, presence signatures, audit packs,
    and the public certificate verification.

    Thin: validate, authenticate, call a model method.
    """

    # ------------------------------------------------------------------
    # helpers
    # ------------------------------------------------------------------
    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        if "atelier_academy_count" in counters:
            Enrolment = request.env["atelier.academy.enrolment"]
            values["atelier_academy_count"] = (
                Enrolment.search_count(
                    [("partner_id", "=", request.env.user.partner_id.id)]
                )
                if Enrolment.has_access("read")
                else 0
            )
        return values

    def _atelier_own_enrolment(self, enrolment_id):
        """The enrolment (sudo) if the current user may read it; 404 otherwise."""
        try:
            enrolment = request.env["atelier.academy.enrolment"].browse(
                int(enrolment_id)
            )
            enrolment.check_access("read")
            enrolment.exists().ensure_one()
        except (AccessError, MissingError, ValueError, TypeError) as exc:
            raise NotFound() from exc
        return enrolment.sudo()

    def _atelier_dashboard_values(self, error=None, notice=None):
        partner = request.env.user.partner_id
        Enrolment = request.env["atelier.academy.enrolment"]
        enrolments = Enrolment.search(
            [("partner_id", "=", partner.id), ("state", "!=", "revoked")]
        ).sudo()
        # courses opened by time measured since the last visit join now
        enrolments._atelier_update_progress()
        progress = enrolments._atelier_path_progress()
        now = fields.Datetime.now()
        next_sessions = {}
        for enrolment in enrolments:
            attendance = enrolment.attendance_ids.filtered(
                lambda a: a.session_id.start >= now and a.session_id.state == "planned"
            ).sorted(lambda a: a.session_id.start)
            next_sessions[enrolment.id] = attendance[:1].session_id
        Timelog = request.env["atelier.academy.timelog"].sudo()
        total = Timelog._read_group(
            [("partner_id", "=", partner.id)], aggregates=["seconds:sum"]
        )[0][0]
        week = Timelog._read_group(
            [
                ("partner_id", "=", partner.id),
                ("day", ">=", fields.Date.context_today(Timelog) - timedelta(days=6)),
            ],
            aggregates=["seconds:sum"],
        )[0][0]
        Signature = request.env["atelier.academy.signature"].sudo()
        day, half_day = Signature._atelier_current_half_day(partner)
        signed = Signature.search_count(
            [
                ("partner_id", "=", partner.id),
                ("day", "=", day),
                ("half_day", "=", half_day),
            ]
        )
        certificates = (
            request.env["atelier.academy.certificate"]
            .sudo()
            .search([("partner_id", "=", partner.id)])
        )
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "page_name": "atelier_academy",
                "enrolments": enrolments,
                "progress": progress,
                "next_sessions": next_sessions,
                "minutes_total": (total or 0) // 60,
                "minutes_week": (week or 0) // 60,
                "signed_now": bool(signed),
                "half_day_label": dict(
                    Signature._fields["half_day"]._description_selection(request.env)
                )[half_day],
                "certificates": certificates,
                "error": error,
                "notice": notice,
            }
        )
        return values

    # ------------------------------------------------------------------
    # learner dashboard
    # ------------------------------------------------------------------
    @http.route("/my/academy", type="http", auth="user", website=True)
    def portal_my_academy(self, **kw):
        notice = None
        if kw.get("signed"):
            notice = request.env._("Your presence is signed for this half-day.")
        return request.render(
            "atelier_academy.portal_my_academy",
            self._atelier_dashboard_values(notice=notice),
        )

    @http.route(
        "/my/academy/sign", type="http", auth="user", methods=["POST"], website=True
    )
    def portal_my_academy_sign(self, enrolment_id=None, **kw):
        enrolment = self._atelier_own_enrolment(enrolment_id)
        if enrolment.partner_id != request.env.user.partner_id:
            raise NotFound()
        environ = request.httprequest.environ
        try:
            request.env["atelier.academy.signature"].sudo()._atelier_sign(
                enrolment,
                ip_address=request.httprequest.remote_addr or "",
                user_agent=environ.get("HTTP_USER_AGENT", ""),
            )
        except UserError as exc:
            request.env.cr.rollback()
            return request.render(
                "atelier_academy.portal_my_academy",
                self._atelier_dashboard_values(error=exc.args[0]),
                status=409,
            )
        return request.redirect("/my/academy?signed=1")

    @http.route(
        "/academy/audit-pack/<int:enrolment_id>", type="http", auth="user", website=True
    )
    def academy_audit_pack(self, enrolment_id, **kw):
        """One click: the learner's own pack, or a coached learner's."""
        enrolment = self._atelier_own_enrolment(enrolment_id)
        filename, content, _manifest = (
            request.env["atelier.academy.evidence"]
            .sudo()
            ._atelier_audit_pack(enrolment)
        )
        return request.make_response(
            content,
            headers=[
                ("Content-Type", "application/zip"),
                ("Content-Disposition", content_disposition(filename)),
            ],
        )

    def _atelier_own_certificate(self, certificate_id):
        try:
            certificate = request.env["atelier.academy.certificate"].browse(
                int(certificate_id)
            )
            certificate.check_access("read")
            certificate.exists().ensure_one()
        except (AccessError, MissingError, ValueError, TypeError) as exc:
            raise NotFound() from exc
        return certificate.sudo()

    @http.route(
        "/my/academy/certificate/<int:certificate_id>/pdf",
        type="http",
        auth="user",
        website=True,
    )
    def portal_certificate_pdf(self, certificate_id, **kw):
        certificate = self._atelier_own_certificate(certificate_id)
        pdf, _type = (
            request.env["ir.actions.report"]
            .sudo()
            ._render_qweb_pdf(
                "atelier_academy.action_report_certificate", res_ids=certificate.ids
            )
        )
        return request.make_response(
            pdf,
            headers=[
                ("Content-Type", "application/pdf"),
                (
                    "Content-Disposition",
                    content_disposition(
                        f"certificat-{certificate.verification_code}.pdf"
                    ),
                ),
            ],
        )

    @http.route(
        "/my/academy/certificate/<int:certificate_id>/badge.json",
        type="http",
        auth="user",
        website=True,
    )
    def portal_certificate_badge(self, certificate_id, **kw):
        certificate = self._atelier_own_certificate(certificate_id)
        return request.make_response(
            certificate.credential_json or "{}",
            headers=[
                ("Content-Type", "application/json"),
                (
                    "Content-Disposition",
                    content_disposition(f"badge-{certificate.verification_code}.json"),
                ),
            ],
        )

    # ------------------------------------------------------------------
    # measured time
    # ------------------------------------------------------------------
    @http.route(
        "/academy/heartbeat", type="http", auth="user", methods=["POST"], website=False
    )
    def academy_heartbeat(self, slide_id=None, ts=None, **kw):
        """A beat of the lesson page (every 30 s while visible and active)."""
        try:
            result = request.env["atelier.academy.timelog"]._atelier_heartbeat(
                slide_id,
                client_ts=ts,
                ip_address=request.httprequest.remote_addr or "",
                user_agent=request.httprequest.environ.get("HTTP_USER_AGENT", ""),
            )
        except HeartbeatRefused as exc:
            request.env.cr.rollback()
            return request.make_json_response(
                {"error": exc.args[0]}, status=exc.http_status
            )
        return request.make_json_response(result)

    # ------------------------------------------------------------------
    # public verification
    # ------------------------------------------------------------------
    @http.route(
        ["/academy/verify", "/academy/verify/<string:code>"],
        type="http",
        auth="public",
        website=True,
        sitemap=False,
    )
    def academy_verify(self, code=None, **kw):
        code = (code or kw.get("code") or "").strip().upper()
        certificate = request.env["atelier.academy.certificate"]
        if code and CODE_RE.match(code):
            certificate = certificate.sudo().search(
                [("verification_code", "=", code)], limit=1
            )
        status = 200 if certificate or not code else 404
        return request.render(
            "atelier_academy.verification_page",
            {"certificate": certificate, "code": code, "searched": bool(code)},
            status=status,
        )

    @http.route(
        "/academy/credential/<string:code>", type="http", auth="public", sitemap=False
    )
    def academy_credential(self, code, **kw):
        code = (code or "").strip().upper()
        if not CODE_RE.match(code):
            raise NotFound()
        certificate = (
            request.env["atelier.academy.certificate"]
            .sudo()
            .search([("verification_code", "=", code)], limit=1)
        )
        if not certificate or not certificate.credential_json:
            raise NotFound()
        return request.make_response(
            certificate.credential_json,
            headers=[("Content-Type", "application/json; charset=utf-8")],
        )

    @http.route("/academy/did.json", type="http", auth="public", sitemap=False)
    def academy_did(self, **kw):
        document = (
            request.env["atelier.academy.certificate"].sudo()._atelier_did_document()
        )
        return request.make_json_response(document)

    @http.route("/academy/jwks.json", type="http", auth="public", sitemap=False)
    def academy_jwks(self, **kw):
        return request.make_json_response(
            request.env["atelier.academy.certificate"].sudo()._atelier_jwks()
        )

    @http.route(
        "/academy/competencies", type="http", auth="public", website=True, sitemap=True
    )
    def academy_competencies(self, **kw):
        competencies = request.env["atelier.academy.competency"].sudo().search([])
        return request.render(
            "atelier_academy.competencies_page", {"competencies": competencies}
        )

    @http.route(
        "/academy/placement/<string:token>",
        type="http",
        auth="public",
        website=True,
        sitemap=False,
    )
    def academy_placement_result(self, token, **kw):
        """The result of a placement test, for whoever holds its answer token."""
        result = (
            request.env["atelier.academy.placement.result"]
            .sudo()
            .search([("user_input_id.access_token", "=", token or "")], limit=1)
        )
        if not token or not result:
            raise NotFound()
        return request.render(
            "atelier_academy.placement_result_page", {"result": result}
        )
