# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.tests import BaseCase, tagged

from ..tools.phone import PhoneNormalizationError, normalize_phone, to_e164


@tagged("post_install", "-at_install")
class TestPhoneTools(BaseCase):
    """The pure normalizer, without a database."""

    def test_french_formats(self):
        for raw in (
            "06 12 34 56 78",
            "06.12.34.56.78",
            "06-12-34-56-78",
            "0612345678",
            "+33 6 12 34 56 78",
            "+33 (0)6 12 34 56 78",
            "+33(0)612345678",
            "0033612345678",
            "00 33 6 12 34 56 78",
            "612345678",
            " 06 12 34 56 78 ",
        ):
            with self.subTest(raw=raw):
                self.assertEqual(normalize_phone(raw, "FR").e164, "+33612345678")

    def test_foreign_numbers(self):
        self.assertEqual(to_e164("02 555 12 12", "BE"), "+3225551212")
        self.assertEqual(to_e164("+32 2 555 12 12", "FR"), "+3225551212")
        self.assertEqual(to_e164("022 555 12 12", "CH"), "+41225551212")
        self.assertEqual(to_e164("0041 22 555 12 12", "FR"), "+41225551212")
        self.assertEqual(to_e164("020 7946 0958", "GB"), "+442079460958")
        self.assertEqual(to_e164("+44 (0)20 7946 0958", "FR"), "+442079460958")
        # a British national number read as French is not a French number
        self.assertIsNone(to_e164("020 7946 0958", "FR"))

    def test_extensions(self):
        for raw, ext in (
            ("01 23 45 67 89 poste 12", "12"),
            ("01 23 45 67 89 p. 7", "7"),
            ("01 23 45 67 89 ext. 345", "345"),
            ("01 23 45 67 89 x12", "12"),
            ("+33 1 23 45 67 89 #21", "21"),
        ):
            with self.subTest(raw=raw):
                number = normalize_phone(raw, "FR")
                self.assertEqual(number.e164, "+33123456789")
                self.assertEqual(number.extension, ext)

    def test_garbage_is_refused(self):
        for raw, reason in (
            ("", "empty"),
            ("   ", "empty"),
            ("rappeler demain", "letters"),
            ("06 12 AB 56 78", "letters"),
            ("1-800-FLOWERS", "letters"),
            ("12", "too short"),
            ("06 12", "too short"),
            ("06 12 34 56 78 90 12 34", "valid"),
            ("+999 1234 5678", ""),
            ("06;12;34;56;78", "unexpected"),
            ("9" * 80, "too long"),
        ):
            with (
                self.subTest(raw=raw),
                self.assertRaises(PhoneNormalizationError) as cm,
            ):
                normalize_phone(raw, "FR")
            self.assertIn(reason, str(cm.exception))
        with self.assertRaises(PhoneNormalizationError):
            normalize_phone(None, "FR")
        self.assertIsNone(to_e164("abc", "FR"))
