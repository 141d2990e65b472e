# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.tests import new_test_user

from odoo.addons.atelier_booking.tests.common import setup_booking_data

LINE_CODE = "ctib-tour-line"
LINE_SECRET = "ctib-tour-secret-0123456789abcdef"


class CtiBookingCommon:
    @classmethod
    def _setup_cti_booking(cls):
        env = cls.env
        env.company.country_id = env.ref("base.fr")
        cls.data = setup_booking_data(env, prefix="ctib")
        cls.type = cls.data["type"]
        cls.client = cls.data["client"]
        cls.claire = new_test_user(
            env,
            login="ctib_claire_desk",
            name="Claire Moreau",
            groups="base.group_user,atelier_base.group_assistant",
            tz="Europe/Paris",
        )
        cls.gaetan = cls.data["gaetan"]
        cls.line = env["atelier.cti.line"].create(
            {
                "name": "Booking desk",
                "code": LINE_CODE,
                "provider": "asterisk",
                "secret": LINE_SECRET,
                "numbers": "+33 4 72 00 00 01",
                "owner_id": cls.claire.id,
                "user_ids": [(6, 0, cls.claire.ids)],
            }
        )

    @classmethod
    def _new_call(cls, partner, call_id="ctib-call-py"):
        return cls.env["atelier.call"].create(
            {
                "line_id": cls.line.id,
                "provider": "asterisk",
                "provider_call_id": call_id,
                "caller_number": "+33612345678",
                "partner_id": partner.id if partner else False,
            }
        )
