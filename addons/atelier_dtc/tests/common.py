# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.tests import TransactionCase, new_test_user
from odoo.tools.misc import file_path


class AtelierDtcCase(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.manager = new_test_user(
            cls.env, login="dtc_manager", groups="atelier_base.group_manager"
        )
        cls.technician = new_test_user(
            cls.env, login="dtc_technician", groups="atelier_base.group_technician"
        )
        cls.Dtc = cls.env["atelier.dtc"]

    @staticmethod
    def sample_bytes(name):
        with open(file_path(f"atelier_dtc/tests/data/{name}"), "rb") as handle:
            return handle.read()
