# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import io

from PIL import Image

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import TransactionCase, tagged

from .common import AtelierBetaCommon


def image_bytes(fmt="PNG", size=(64, 40)):
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(buffer, format=fmt)
    return buffer.getvalue()


@tagged("post_install", "-at_install")
class TestFeedback(AtelierBetaCommon, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_beta("fb")
        cls.author = cls._tester(cls._signup("Auteur Bogue", ip="192.0.2.1"))
        cls.voter = cls._tester(cls._signup("Votante Active", ip="192.0.2.2"))
        cls.voter2 = cls._tester(cls._signup("Second Votant", ip="192.0.2.3"))
        cls.newbie = cls._tester(
            cls._signup("Novice Inactif", ip="192.0.2.4"), activated=False
        )
        cls.waiting = cls._signup("Encore Attente", ip="192.0.2.5")
        # the badge of the first diagnostic is not karma
        cls.karma_start = cls.author.user_id.karma

    def _post(self, signup=None, kind="bug", name="L'appli plante au démarrage", **kw):
        screenshot = kw.pop("screenshot", None)
        vals = {
            "kind": kind,
            "name": name,
            "description": "Écran noir après le logo.",
            **kw,
        }
        return self.Feedback._atelier_post(
            signup or self.author, vals, screenshot=screenshot
        )

    def test_posting_earns_nothing_accepting_earns_karma_once(self):
        feedback = self._post()
        self.assertEqual(
            (feedback.state, self.author.user_id.karma), ("new", self.karma_start)
        )
        with self.assertRaises(AccessError):
            feedback.with_user(self.employee).action_accept()
        feedback.with_user(self.team).action_accept()
        self.assertEqual(feedback.state, "accepted")
        self.assertEqual(feedback.karma_granted, 50)
        self.assertEqual(self.author.user_id.karma, self.karma_start + 50)
        badges = self.env["gamification.badge.user"].search(
            [("user_id", "=", self.author.user_id.id)]
        )
        self.assertIn(self.env.ref("atelier_beta.badge_bug_hunter"), badges.badge_id)
        # accepted once: a second acceptance is refused, the low level grants nothing
        with self.assertRaises(UserError):
            feedback.with_user(self.team).action_accept()
        self.assertFalse(feedback.sudo()._atelier_accept())
        self.assertEqual(self.author.user_id.karma, self.karma_start + 50)

    def test_declined_feedback_earns_nothing(self):
        feedback = self._post(kind="praise", name="Super appli")
        feedback.with_user(self.team).action_decline()
        self.assertEqual(
            (feedback.state, self.author.user_id.karma), ("declined", self.karma_start)
        )

    def test_karma_follows_settings(self):
        self.env["ir.config_parameter"].sudo().set_param(
            "atelier_beta.karma_praise", "7"
        )
        feedback = self._post(kind="praise", name="Merci !")
        feedback.with_user(self.team).action_accept()
        self.assertEqual(self.author.user_id.karma, self.karma_start + 7)

    def test_only_testers_post(self):
        with self.assertRaises(AccessError):
            self._post(signup=self.waiting)
        with self.assertRaises(ValidationError):
            self._post(name="")
        with self.assertRaises(ValidationError):
            self._post(kind="rant")

    def test_screenshot_checked(self):
        feedback = self._post(screenshot=image_bytes("PNG"))
        self.assertTrue(feedback.screenshot)
        self.assertTrue(self._post(screenshot=image_bytes("JPEG")).screenshot)
        with self.assertRaisesRegex(ValidationError, "PNG, JPEG or WebP"):
            self._post(screenshot=image_bytes("GIF"))
        with self.assertRaisesRegex(ValidationError, "PNG, JPEG or WebP"):
            self._post(
                screenshot=b"<svg xmlns='http://www.w3.org/2000/svg'><script>alert(1)</script></svg>"
            )
        self.env["ir.config_parameter"].sudo().set_param(
            "atelier_beta.screenshot_max_kb", "1"
        )
        with self.assertRaisesRegex(ValidationError, "too large"):
            self._post(screenshot=image_bytes("PNG", size=(600, 600)) + b"\0" * 2048)

    def test_votes_restricted_and_single(self):
        Vote = self.env["atelier.beta.vote"]
        feedback = self._post()
        self.assertTrue(Vote._atelier_vote(feedback, self.voter))
        self.assertFalse(Vote._atelier_vote(feedback, self.voter))
        self.assertEqual(feedback.vote_count, 1)
        with self.assertRaises(AccessError):
            Vote._atelier_vote(feedback, self.newbie)  # not activated
        with self.assertRaises(AccessError):
            Vote._atelier_vote(feedback, self.waiting)  # not in the beta
        with self.assertRaises(UserError):
            Vote._atelier_vote(feedback, self.author)  # their own
        praise = self._post(kind="praise", name="Bravo")
        with self.assertRaises(UserError):
            Vote._atelier_vote(praise, self.voter)
        self.assertEqual(feedback.vote_count, 1)
        self.assertEqual(len(feedback.vote_ids), 1)

    def test_accepted_idea_goes_to_the_roadmap_and_status_changes_are_told(self):
        idea = self._post(kind="idea", name="Mode sombre")
        self.env["atelier.beta.vote"]._atelier_vote(idea, self.voter)
        idea.with_user(self.team).action_accept()
        item = idea.roadmap_item_id
        self.assertEqual((item.name, item.state), ("Mode sombre", "considered"))
        told = self.env["mail.message"].search(
            [("model", "=", idea._name), ("res_id", "=", idea.id)]
        )
        self.assertTrue(told)
        self.assertEqual(
            set(told[0].partner_ids.ids),
            {self.author.partner_id.id, self.voter.partner_id.id},
        )
        item.with_user(self.team).write({"state": "planned", "is_published": True})
        news = self.env["mail.message"].search(
            [("model", "=", item._name), ("res_id", "=", item.id)]
        )
        recipients = news.filtered(lambda m: m.partner_ids).partner_ids
        self.assertEqual(recipients, self.author.partner_id | self.voter.partner_id)
        self.assertEqual(item.vote_count, 1)

    def test_duplicates_merged_with_their_votes(self):
        Vote = self.env["atelier.beta.vote"]
        keep = self._post(signup=self.author, kind="idea", name="Export PDF")
        dup = self._post(signup=self.voter, kind="idea", name="Exporter en PDF")
        Vote._atelier_vote(dup, self.voter2)
        Vote._atelier_vote(dup, self.author)  # the kept one's author: not moved
        Vote._atelier_vote(keep, self.voter2)  # voted both: counted once
        wizard = (
            self.env["atelier.beta.feedback.merge"]
            .with_user(self.team)
            .create({"duplicate_ids": [(6, 0, dup.ids)], "target_id": keep.id})
        )
        wizard.action_merge()
        self.assertEqual(
            (dup.state, dup.duplicate_of_id, dup.vote_count), ("merged", keep, 0)
        )
        self.assertEqual(keep.vote_ids.signup_id, self.voter2 | self.voter)
        self.assertEqual(keep.vote_count, 2)
        with self.assertRaises(UserError):
            dup.sudo()._atelier_merge_into(keep)
