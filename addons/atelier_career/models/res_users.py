# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import models


class ResUsers(models.Model):
    _inherit = "res.users"

    def _atelier_career_plan(self):
        """(plan, subscription) of this user: their best current
        subscription, else the default plan (Settings)."""
        self.ensure_one()
        subscription = self.env["atelier.career.subscription"]._for_user(self)
        if subscription:
            return subscription.plan_id, subscription
        code = (
            self.env["ir.config_parameter"]
            .sudo()
            .get_param("atelier_career.default_plan", "starter")
        )
        plan = (
            self.env["atelier.career.plan"]
            .sudo()
            .search([("code", "=", code)], limit=1)
        )
        return plan, subscription

    def _atelier_career_export(self):
        """Everything the career tools keep about this user (GDPR export)."""
        self.ensure_one()
        env = self.env
        cvs = env["atelier.career.cv"].sudo().search([("user_id", "=", self.id)])
        jobs = env["atelier.career.job"].sudo().search([("user_id", "=", self.id)])
        sessions = (
            env["atelier.career.session"].sudo().search([("user_id", "=", self.id)])
        )
        return {
            "cvs": [
                {
                    "name": cv.name,
                    "template": cv.template,
                    "resume": cv._json_resume(),
                    "exported": cv.exported_date,
                    "ats": cv.ats_state,
                }
                for cv in cvs
            ],
            "job_offers": [
                {
                    "title": job.name,
                    "company": job.company_name,
                    "description": job.description,
                    "skills": job.skills,
                }
                for job in jobs
            ],
            "interviews": [
                {
                    "persona": s.persona_id.name,
                    "started": s.started_at,
                    "ended": s.ended_at,
                    "duration_minutes": s.duration_minutes,
                    "consent": s.consent_date,
                    "voice_opt_in": s.voice_opt_in,
                    "training_opt_in": s.training_opt_in,
                    "keep_synthesis": s.keep_synthesis,
                    "shared_with_manager": s.shared_with_manager,
                    "transcript": s._transcript(),
                    "synthesis": {
                        "mode": s.synthesis_mode,
                        "scores": [
                            {
                                "criterion": x.criterion,
                                "score": x.score,
                                "reason": x.reason,
                            }
                            for x in s.score_ids
                        ],
                        "findings": [
                            {"kind": f.kind, "text": f.text, "quote": f.quote}
                            for f in s.finding_ids
                        ],
                    },
                }
                for s in sessions
            ],
        }

    def _atelier_career_erase(self):
        """Delete this user's CVs, offers and interviews (GDPR erasure); the
        purge log keeps a line per interview, without content."""
        self.ensure_one()
        env = self.env
        sessions = (
            env["atelier.career.session"].sudo().search([("user_id", "=", self.id)])
        )
        for session in sessions.filtered(lambda s: not s.transcript_purged):
            session.keep_synthesis = False
            session._purge("learner")
        sessions.unlink()
        env["atelier.career.cv"].sudo().search([("user_id", "=", self.id)]).unlink()
        env["atelier.career.job"].sudo().search([("user_id", "=", self.id)]).unlink()
        return True
