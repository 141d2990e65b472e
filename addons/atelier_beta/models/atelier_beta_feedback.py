# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import base64
import binascii
import logging

from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import SQL
from odoo.tools.mimetypes import guess_mimetype

_logger = logging.getLogger(__name__)

KINDS = [("bug", "Bug"), ("idea", "Idea"), ("praise", "Praise")]
SCREENSHOT_TYPES = ("image/png", "image/jpeg", "image/webp")
# the karma of an accepted piece of feedback, by kind (Settings override it)
KARMA_DEFAULTS = {"bug": 50, "idea": 30, "praise": 10}


class AtelierBetaFeedback(models.Model):
    """A bug, an idea or praise posted by a tester on the portal.

    Posting earns nothing: karma comes when the team accepts the feedback.
    Activated testers vote (once each, never on their own post). The title
    and description are shown to the other testers on the board, without
    the author's name; the screenshot and the diagnostic session stay
    private.
    """

    _name = "atelier.beta.feedback"
    _description = "Beta feedback"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "create_date desc, id desc"

    name = fields.Char("Title", required=True, tracking=True)
    kind = fields.Selection(KINDS, required=True, default="bug", tracking=True)
    description = fields.Text(required=True)
    screenshot = fields.Image(max_width=1920, max_height=1920, attachment=True)
    author_id = fields.Many2one(
        "atelier.beta.signup",
        string="Tester",
        required=True,
        readonly=True,
        index=True,
        ondelete="restrict",
    )
    partner_id = fields.Many2one(
        related="author_id.partner_id",
        store=True,
        string="Author",
        index="btree_not_null",
    )
    state = fields.Selection(
        [
            ("new", "New"),
            ("accepted", "Accepted"),
            ("declined", "Declined"),
            ("merged", "Merged into another"),
        ],
        default="new",
        required=True,
        readonly=True,
        index=True,
        tracking=True,
    )
    vote_ids = fields.One2many("atelier.beta.vote", "feedback_id", readonly=True)
    vote_count = fields.Integer(readonly=True, default=0, index=True)
    duplicate_of_id = fields.Many2one(
        "atelier.beta.feedback",
        string="Duplicate of",
        readonly=True,
        index="btree_not_null",
    )
    duplicate_ids = fields.One2many(
        "atelier.beta.feedback", "duplicate_of_id", readonly=True
    )
    roadmap_item_id = fields.Many2one(
        "atelier.beta.roadmap.item",
        string="Roadmap item",
        index="btree_not_null",
        tracking=True,
    )
    accepted_at = fields.Datetime(readonly=True)
    accepted_by_id = fields.Many2one("res.users", readonly=True)
    karma_granted = fields.Integer(
        readonly=True, help="Karma the author received when it was accepted."
    )
    team_note = fields.Text(help="Shown to the author with the status.")

    # ------------------------------------------------------------------
    # Actions of the team
    # ------------------------------------------------------------------
    def action_accept(self):
        """Accept: the author earns karma (once), an idea goes to the
        roadmap, voters and author are told."""
        self.env["atelier.beta.signup"]._atelier_check_team()
        for feedback in self:
            if feedback.state != "new":
                raise UserError(self.env._("Only new feedback can be accepted."))
        for feedback in self.sudo():
            feedback._atelier_accept()
        return True

    def action_decline(self):
        self.env["atelier.beta.signup"]._atelier_check_team()
        for feedback in self:
            if feedback.state != "new":
                raise UserError(self.env._("Only new feedback can be declined."))
        for feedback in self.sudo():
            feedback.state = "declined"
            feedback._atelier_notify_status()
        return True

    def action_open_merge(self):
        """The merge wizard for these duplicates."""
        self.env["atelier.beta.signup"]._atelier_check_team()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Merge duplicates"),
            "res_model": "atelier.beta.feedback.merge",
            "view_mode": "form",
            "target": "new",
            "context": {"default_duplicate_ids": self.ids},
        }

    # ------------------------------------------------------------------
    # Business
    # ------------------------------------------------------------------
    @api.model
    def _atelier_check_screenshot(self, data):
        """``data`` (bytes) as base64 if it is an image of an accepted type and
        size; ValidationError otherwise."""
        limit_kb = self.env["atelier.beta.signup"]._atelier_param(
            "screenshot_max_kb", 5120
        )
        if len(data) > limit_kb * 1024:
            raise ValidationError(
                self.env._(
                    "The screenshot is too large (at most %(size)s KB).", size=limit_kb
                )
            )
        mimetype = guess_mimetype(data, default="application/octet-stream")
        if mimetype not in SCREENSHOT_TYPES:
            raise ValidationError(
                self.env._("The screenshot must be a PNG, JPEG or WebP image.")
            )
        return base64.b64encode(data)

    @api.model
    def _atelier_post(self, signup, vals, screenshot=None):
        """A tester's feedback, from the portal (``vals``: name, kind,
        description; glue addons add theirs)."""
        if signup.state != "tester":
            raise AccessError(self.env._("Only beta testers post feedback."))
        name = (vals.get("name") or "").strip()
        description = (vals.get("description") or "").strip()
        if not name or not description:
            raise ValidationError(self.env._("A title and a description are needed."))
        if len(name) > 120 or len(description) > 5000:
            raise ValidationError(
                self.env._("The title or the description is too long.")
            )
        if vals.get("kind") not in dict(KINDS):
            raise ValidationError(self.env._("Choose bug, idea or praise."))
        values = {
            "name": name,
            "description": description,
            "kind": vals["kind"],
            "author_id": signup.id,
        }
        values.update(self._atelier_post_extra(signup, vals))
        if screenshot:
            try:
                values["screenshot"] = self._atelier_check_screenshot(screenshot)
            except (binascii.Error, ValueError) as exc:
                raise ValidationError(
                    self.env._("The screenshot could not be read.")
                ) from exc
        return self.sudo().create(values)

    @api.model
    def _atelier_post_extra(self, signup, vals):
        """Values glue addons add from the portal form (a diagnostic session)."""
        return {}

    def _atelier_karma(self):
        self.ensure_one()
        default = KARMA_DEFAULTS[self.kind]
        return max(
            self.env["atelier.beta.signup"]._atelier_param(
                f"karma_{self.kind}", default
            ),
            0,
        )

    def _atelier_accept(self):
        self.ensure_one()
        self.flush_recordset()
        # one UPDATE decides: two managers clicking at once grant once
        self.env.cr.execute(
            SQL(
                """UPDATE atelier_beta_feedback
                      SET state = 'accepted', accepted_by_id = %s,
                          accepted_at = now() at time zone 'UTC'
                    WHERE id = %s AND state = 'new' RETURNING id""",
                self.env.uid,
                self.id,
            )
        )
        if not self.env.cr.fetchone():
            self.invalidate_recordset()
            return False
        self.invalidate_recordset()
        user = self.author_id.user_id
        karma = self._atelier_karma()
        if user and karma:
            user._add_karma(
                karma,
                self,
                self.env._("Feedback accepted: %(title)s", title=self.name),
            )
            self.karma_granted = karma
        if user and self.kind == "bug":
            user._atelier_grant_beta_badge("badge_bug_hunter")
        if user and self.kind == "idea":
            user._atelier_grant_beta_badge("badge_visionary")
        if self.kind == "idea" and not self.roadmap_item_id:
            self.roadmap_item_id = self.env["atelier.beta.roadmap.item"].create(
                {
                    "name": self.name,
                    "description": self.description,
                    "state": "considered",
                }
            )
        self._atelier_after_accept()
        self._atelier_notify_status()
        return True

    def _atelier_after_accept(self):
        """Hook of glue addons (a ticket for a bug)."""

    def _atelier_audience(self):
        """The author and the voters: who hears about a status change."""
        partners = self.env["res.partner"]
        for feedback in self.sudo():
            partners |= feedback.author_id.partner_id
            partners |= feedback.vote_ids.signup_id.partner_id
        return partners.filtered(lambda p: p.email)

    def _atelier_status_label(self):
        self.ensure_one()
        return dict(self._fields["state"]._description_selection(self.env))[self.state]

    def _atelier_notify_status(self, body=None):
        """Tell the author and the voters of the new status (e-mail and
        portal inbox)."""
        for feedback in self.sudo():
            audience = feedback._atelier_audience()
            if not audience:
                continue
            status = feedback.with_context(
                lang=audience[:1].lang or self.env.lang
            )._atelier_status_label()
            text = body or Markup("<p>%s</p>") % self.env._(
                'The feedback "%(title)s" is now: %(status)s.',
                title=feedback.name,
                status=status,
            )
            if feedback.team_note and not body:
                text += Markup("<p>%s</p>") % feedback.team_note
            feedback.message_notify(
                partner_ids=audience.ids,
                subject=self.env._("Beta: %(title)s", title=feedback.name),
                body=text,
                email_layout_xmlid="mail.mail_notification_light",
            )

    def _atelier_merge_into(self, target):
        """These duplicates go into ``target``: their votes move (one per
        person, never the target's author), their authors vote for it."""
        target = target.sudo()
        for duplicate in self.sudo():
            if duplicate == target or duplicate.state == "merged":
                raise UserError(self.env._("Choose another feedback to merge into."))
            if target.state == "merged":
                raise UserError(
                    self.env._("This feedback was merged into another one.")
                )
            voters = duplicate.vote_ids.signup_id | duplicate.author_id
            self.env["atelier.beta.vote"]._atelier_add_votes(target, voters)
            duplicate.vote_ids.unlink()
            duplicate.write(
                {"state": "merged", "duplicate_of_id": target.id, "vote_count": 0}
            )
            duplicate._atelier_notify_status(
                Markup("<p>%s</p>")
                % self.env._(
                    'The feedback "%(title)s" was merged into "%(target)s": '
                    "its votes count there now.",
                    title=duplicate.name,
                    target=target.name,
                )
            )
        target._atelier_count_votes()

    def _atelier_count_votes(self):
        self.flush_recordset()
        self.env["atelier.beta.vote"].flush_model()
        self.env.cr.execute(
            SQL(
                """UPDATE atelier_beta_feedback f
                      SET vote_count = (SELECT count(*) FROM atelier_beta_vote v
                                         WHERE v.feedback_id = f.id)
                    WHERE f.id = ANY(%s)""",
                self.ids,
            )
        )
        self.invalidate_recordset(["vote_count"])

    # ------------------------------------------------------------------
    # The board (what other testers see)
    # ------------------------------------------------------------------
    def _atelier_on_board(self):
        """Whether other testers see this feedback (and may vote)."""
        self.ensure_one()
        return self.state in ("new", "accepted") and self.kind in ("bug", "idea")

    def _atelier_public_row(self, tester):
        """The fields of this feedback any tester may see, and ``tester``'s
        relation to it. Never the author, the screenshot or the session."""
        self.ensure_one()
        feedback = self.sudo()
        return {
            "id": feedback.id,
            "name": feedback.name,
            "description": feedback.description,
            "kind": feedback.kind,
            "kind_label": dict(self._fields["kind"]._description_selection(self.env))[
                feedback.kind
            ],
            "state": feedback.state,
            "state_label": feedback._atelier_status_label(),
            "votes": feedback.vote_count,
            "date": feedback.create_date,
            "own": feedback.author_id == tester,
            "voted": tester in feedback.vote_ids.signup_id,
            "roadmap": feedback.roadmap_item_id.name
            if feedback.roadmap_item_id.is_published
            else False,
        }

    @api.model
    def _atelier_board(self, tester, kind=None, limit=100):
        """The open bugs and ideas, most voted first, as public rows."""
        domain = [("state", "in", ("new", "accepted")), ("kind", "in", ("bug", "idea"))]
        if kind in ("bug", "idea"):
            domain.append(("kind", "=", kind))
        feedback = self.sudo().search(
            domain, order="vote_count desc, create_date desc, id desc", limit=limit
        )
        return [item._atelier_public_row(tester) for item in feedback]
