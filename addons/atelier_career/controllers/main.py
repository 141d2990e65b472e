# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import json
import logging

from werkzeug.exceptions import NotFound

from odoo import http
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.http import request

from ..models.atelier_career_cv_line import LINE_FIELDS

_logger = logging.getLogger(__name__)

MAX_UPLOAD = 256 * 1024
CV_FIELDS = (
    "name",
    "template",
    "full_name",
    "headline",
    "email",
    "phone",
    "city",
    "website",
    "profile",
)
MAX_FIELD = 5000


class CareerPortal(http.Controller):
    """The learner's career space: thin, validates and calls the models as
    the learner (record rules keep each learner to their own data)."""

    # ------------------------------------------------------------------
    # helpers
    # ------------------------------------------------------------------
    def _own(self, model, record_id):
        """The learner's own record, or 404 (never another learner's)."""
        try:
            record = request.env[model].browse(int(record_id)).exists()
            if record:
                record.check_access("read")
        except (AccessError, ValueError, TypeError):
            raise NotFound() from None
        if not record or record.user_id != request.env.user:
            raise NotFound()
        return record

    def _home_values(self, **extra):
        env = request.env
        user = env.user
        plan, subscription = user._atelier_career_plan()
        personas = env["atelier.career.persona"].sudo().search([])
        values = {
            "page_name": "atelier_career",
            "cvs": env["atelier.career.cv"].search([("user_id", "=", user.id)]),
            "jobs": env["atelier.career.job"].search([("user_id", "=", user.id)]),
            "sessions": env["atelier.career.session"].search(
                [("user_id", "=", user.id)]
            ),
            "quota": env["atelier.career.session"]._quota_status(user),
            "plan": plan,
            "personas": personas.filtered(lambda p: p._allowed_for(plan)),
            "has_webhooks": bool(
                env["atelier.career.webhook"]._portal_subscriptions(user)
            ),
            "is_team_manager": bool(
                env["atelier.career.subscription"]
                .sudo()
                .search_count([("manager_user_id", "=", user.id)])
            ),
        }
        values.update(extra)
        return values

    def _upload(self, upload, extensions):
        """The bytes of an uploaded file, after size and type checks."""
        if not upload or not getattr(upload, "filename", None):
            raise UserError(request.env._("Choose a file."))
        name = upload.filename.lower()
        if not name.endswith(extensions):
            raise UserError(
                request.env._(
                    "This type of file is not accepted (%(types)s only).",
                    types=", ".join(extensions),
                )
            )
        data = upload.read(MAX_UPLOAD + 1)
        if len(data) > MAX_UPLOAD:
            raise UserError(request.env._("The file is too big (256 KB at most)."))
        return data

    def _redirect_with(self, url, error=None, notice=None):
        if error:
            request.session["atelier_career_error"] = error
        if notice:
            request.session["atelier_career_notice"] = notice
        return request.redirect(url)

    def _flash(self):
        return {
            "error": request.session.pop("atelier_career_error", None),
            "notice": request.session.pop("atelier_career_notice", None),
        }

    # ------------------------------------------------------------------
    # home
    # ------------------------------------------------------------------
    @http.route("/my/career", type="http", auth="user", website=True)
    def career_home(self, **kw):
        return request.render(
            "atelier_career.portal_career_home", self._home_values(**self._flash())
        )

    # ------------------------------------------------------------------
    # CVs
    # ------------------------------------------------------------------
    @http.route("/my/career/cv/new", type="http", auth="user", methods=["POST"])
    def cv_new(self, **kw):
        user = request.env.user
        cv = request.env["atelier.career.cv"].create(
            {
                "name": (kw.get("name") or "").strip()[:120] or request.env._("My CV"),
                "full_name": user.name,
                "email": user.email or False,
                "phone": user.partner_id.phone or False,
                "city": user.partner_id.city or False,
            }
        )
        return request.redirect(f"/my/career/cv/{cv.id}")

    @http.route("/my/career/cv/import", type="http", auth="user", methods=["POST"])
    def cv_import(self, upload=None, **kw):
        try:
            raw = self._upload(upload, (".json",))
            cv = request.env["atelier.career.cv"]._import_json_resume(raw)
        except UserError as exc:
            request.env.cr.rollback()
            return self._redirect_with("/my/career", error=exc.args[0])
        return self._redirect_with(
            f"/my/career/cv/{cv.id}", notice=request.env._("CV imported.")
        )

    @http.route("/my/career/cv/<int:cv_id>", type="http", auth="user", website=True)
    def cv_edit(self, cv_id, **kw):
        cv = self._own("atelier.career.cv", cv_id)
        values = self._home_values(**self._flash())
        values.update(
            cv=cv,
            sections=request.env["atelier.career.cv.line"]._fields["section"].selection,
            section_labels=dict(
                request.env["atelier.career.cv.line"]
                ._fields["section"]
                ._description_selection(request.env)
            ),
            templates=request.env["atelier.career.cv"]
            ._fields["template"]
            ._description_selection(request.env),
            gap=cv.action_job_gap(),
            suggestions=request.session.pop("atelier_career_suggestions", None),
        )
        return request.render("atelier_career.portal_career_cv", values)

    def _save_cv(self, cv, kw):
        """Write the editor's fields (the CV's and its entries')."""
        values = {
            key: (kw[key] or "")[:MAX_FIELD] or False for key in CV_FIELDS if key in kw
        }
        if "template" in values and values["template"] not in dict(
            cv._fields["template"].selection
        ):
            values.pop("template")
        if not values.get("name", True):
            values.pop("name")
        if "job_id" in kw:
            job = None
            if kw["job_id"]:
                job = self._own("atelier.career.job", kw["job_id"])
            values["job_id"] = job.id if job else False
        if values:
            cv.write(values)
        for line in cv.line_ids:
            line_values = {
                key: (kw[f"line_{line.id}_{key}"] or "")[:MAX_FIELD] or False
                for key in LINE_FIELDS
                if key != "section" and f"line_{line.id}_{key}" in kw
            }
            for key in ("date_start", "date_end"):
                if line_values.get(key):
                    line_values[key] = line_values[key][:10]
            if line_values:
                line.write(line_values)

    @http.route(
        "/my/career/cv/<int:cv_id>/save", type="http", auth="user", methods=["POST"]
    )
    def cv_save(self, cv_id, **kw):
        cv = self._own("atelier.career.cv", cv_id)
        try:
            self._save_cv(cv, kw)
        except (UserError, ValidationError) as exc:
            request.env.cr.rollback()
            if kw.get("ajax"):
                return request.make_json_response({"error": exc.args[0]}, status=400)
            return self._redirect_with(f"/my/career/cv/{cv_id}", error=exc.args[0])
        if kw.get("ajax"):
            return request.make_json_response(
                {
                    "ok": True,
                    "ats_friendly": cv.ats_friendly,
                    "gap": cv.action_job_gap(),
                }
            )
        return self._redirect_with(
            f"/my/career/cv/{cv.id}", notice=request.env._("Saved.")
        )

    @http.route(
        "/my/career/cv/<int:cv_id>/line/add", type="http", auth="user", methods=["POST"]
    )
    def cv_line_add(self, cv_id, section=None, **kw):
        cv = self._own("atelier.career.cv", cv_id)
        self._save_cv(cv, kw)
        sections = dict(
            request.env["atelier.career.cv.line"]._fields["section"].selection
        )
        if section not in sections:
            return self._redirect_with(
                f"/my/career/cv/{cv.id}", error=request.env._("Unknown section.")
            )
        last = max(cv.line_ids.mapped("sequence") or [0])
        line = request.env["atelier.career.cv.line"].create(
            {"cv_id": cv.id, "section": section, "sequence": last + 1}
        )
        return request.redirect(f"/my/career/cv/{cv.id}#line_{line.id}")

    @http.route(
        "/my/career/cv/<int:cv_id>/line/<int:line_id>/delete",
        type="http",
        auth="user",
        methods=["POST"],
    )
    def cv_line_delete(self, cv_id, line_id, **kw):
        cv = self._own("atelier.career.cv", cv_id)
        self._save_cv(cv, kw)
        line = cv.line_ids.filtered(lambda x: x.id == line_id)
        if not line:
            raise NotFound()
        line.unlink()
        return request.redirect(f"/my/career/cv/{cv.id}")

    @http.route(
        "/my/career/cv/<int:cv_id>/duplicate",
        type="http",
        auth="user",
        methods=["POST"],
    )
    def cv_duplicate(self, cv_id, **kw):
        cv = self._own("atelier.career.cv", cv_id)
        copy = cv.action_duplicate()
        return self._redirect_with(
            f"/my/career/cv/{copy.id}", notice=request.env._("CV duplicated.")
        )

    @http.route(
        "/my/career/cv/<int:cv_id>/delete", type="http", auth="user", methods=["POST"]
    )
    def cv_delete(self, cv_id, **kw):
        cv = self._own("atelier.career.cv", cv_id)
        cv.unlink()
        return self._redirect_with("/my/career", notice=request.env._("CV deleted."))

    @http.route("/my/career/cv/<int:cv_id>/preview", type="http", auth="user")
    def cv_preview(self, cv_id, **kw):
        cv = self._own("atelier.career.cv", cv_id)
        html, _format = (
            request.env["ir.actions.report"]
            .with_context(lang=cv.lang)
            .sudo()
            ._render_qweb_html("atelier_career.atelier_career_cv_report", cv.ids)
        )
        return request.make_response(
            html,
            headers=[
                ("Content-Type", "text/html; charset=utf-8"),
                ("X-Frame-Options", "SAMEORIGIN"),
                ("Content-Security-Policy", "frame-ancestors 'self'"),
            ],
        )

    @http.route(
        "/my/career/cv/<int:cv_id>/check", type="http", auth="user", methods=["POST"]
    )
    def cv_check(self, cv_id, **kw):
        cv = self._own("atelier.career.cv", cv_id)
        result = cv.action_check_ats()
        if result["passed"]:
            return self._redirect_with(
                f"/my/career/cv/{cv.id}",
                notice=request.env._("Your CV passes the applicant-tracking check."),
            )
        return self._redirect_with(
            f"/my/career/cv/{cv.id}",
            error=request.env._(
                "Your CV does not pass the check yet: see the details."
            ),
        )

    @http.route("/my/career/cv/<int:cv_id>/pdf", type="http", auth="user")
    def cv_pdf(self, cv_id, **kw):
        cv = self._own("atelier.career.cv", cv_id)
        pdf, result = cv.action_export_pdf()
        return request.make_response(
            pdf,
            headers=[
                ("Content-Type", "application/pdf"),
                ("Content-Length", str(len(pdf))),
                (
                    "Content-Disposition",
                    http.content_disposition(cv._attachment_name()),
                ),
                ("X-Atelier-Ats", "passed" if result["passed"] else "failed"),
            ],
        )

    @http.route("/my/career/cv/<int:cv_id>/json", type="http", auth="user")
    def cv_json(self, cv_id, **kw):
        cv = self._own("atelier.career.cv", cv_id)
        body = json.dumps(cv.action_export_json(), ensure_ascii=False, indent=2)
        return request.make_response(
            body,
            headers=[
                ("Content-Type", "application/json; charset=utf-8"),
                (
                    "Content-Disposition",
                    http.content_disposition(f"{cv.full_name or cv.name}.resume.json"),
                ),
            ],
        )

    @http.route(
        "/my/career/cv/<int:cv_id>/suggest", type="http", auth="user", methods=["POST"]
    )
    def cv_suggest(self, cv_id, **kw):
        cv = self._own("atelier.career.cv", cv_id)
        request.session["atelier_career_suggestions"] = cv.action_suggest()
        return request.redirect(f"/my/career/cv/{cv.id}#suggestions")

    # ------------------------------------------------------------------
    # job offers
    # ------------------------------------------------------------------
    @http.route("/my/career/job/new", type="http", auth="user", methods=["POST"])
    def job_new(self, text=None, upload=None, cv_id=None, **kw):
        Job = request.env["atelier.career.job"]
        back = (
            f"/my/career/cv/{int(cv_id)}"
            if cv_id and str(cv_id).isdigit()
            else "/my/career"
        )
        try:
            if upload and getattr(upload, "filename", None):
                job = Job._from_json(self._upload(upload, (".json",)))
            else:
                job = Job._from_text(text, title=kw.get("title"))
            if cv_id and str(cv_id).isdigit():
                self._own("atelier.career.cv", cv_id).write({"job_id": job.id})
        except UserError as exc:
            request.env.cr.rollback()
            return self._redirect_with(back, error=exc.args[0])
        return self._redirect_with(back, notice=request.env._("Job offer saved."))

    @http.route(
        "/my/career/job/<int:job_id>/delete", type="http", auth="user", methods=["POST"]
    )
    def job_delete(self, job_id, **kw):
        self._own("atelier.career.job", job_id).unlink()
        return request.redirect("/my/career")

    # ------------------------------------------------------------------
    # GDPR: export and erase
    # ------------------------------------------------------------------
    @http.route("/my/career/data.json", type="http", auth="user")
    def data_export(self, **kw):
        data = request.env.user._atelier_career_export()
        return request.make_response(
            json.dumps(data, ensure_ascii=False, indent=2, default=str),
            headers=[
                ("Content-Type", "application/json; charset=utf-8"),
                ("Content-Disposition", http.content_disposition("career-data.json")),
            ],
        )

    @http.route("/my/career/data/delete", type="http", auth="user", methods=["POST"])
    def data_delete(self, confirm=None, **kw):
        if confirm != "yes":
            return self._redirect_with(
                "/my/career",
                error=request.env._("Tick the box to confirm the deletion."),
            )
        request.env.user._atelier_career_erase()
        return self._redirect_with(
            "/my/career", notice=request.env._("All your career data is deleted.")
        )
