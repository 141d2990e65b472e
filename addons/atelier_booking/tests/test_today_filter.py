# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import datetime, timedelta
from unittest.mock import patch

import pytz

from odoo.tests import HttpCase, tagged
from odoo.tests.common import ChromeBrowser

from .common import PARIS, paris, setup_booking_data


def _navigate_in_paris(original):
    """The browser's clock in Paris, as on Claire's and Gaetan's computers
    (the test machine's is UTC): the "Today" filter is computed there."""

    def navigate_to(browser, url, wait_stop=False):
        browser._websocket_request(
            "Emulation.setTimezoneOverride", params={"timezoneId": PARIS}
        )
        return original(browser, url, wait_stop=wait_stop)

    return navigate_to


@tagged("post_install", "-at_install")
class TestTodayFilter(HttpCase):
    """The "Today" filter of the appointments is the day the user sees on
    his screen (his browser's), not the UTC day: at 00:30 Paris time a
    booking is in the Paris day (it is 23:30 the day before in UTC), and
    tomorrow at 00:30 it is not.

    Odoo reads a bare date compared with a datetime as midnight in the
    time zone of the user's preferences, UTC when he set none: the user
    here has none, as a new account, while his browser is on Paris time."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        data = setup_booking_data(cls.env, prefix="tdf")
        data["gaetan"].tz = False
        today = datetime.now(pytz.timezone(PARIS)).date()
        Booking = cls.env["atelier.booking"].with_context(tracking_disable=True)
        partners = cls.env["res.partner"].create(
            [{"name": name} for name in ("Tot Matin", "Tard Soir", "Demain Minuit")]
        )
        cls.bookings = Booking.create(
            [
                {
                    "appointment_type_id": data["type"].id,
                    "partner_id": partner.id,
                    "technician_id": data["gaetan"].id,
                    "start": start,
                    "state": "confirmed",
                }
                for partner, start in zip(
                    partners,
                    (
                        paris(today, 0, 30),
                        paris(today, 22, 30),
                        paris(today + timedelta(days=1), 0, 30),
                    ),
                    strict=True,
                )
            ]
        )

    def test_today_is_the_paris_day(self):
        # the first and the last are on another UTC day than the Paris one
        utc_days = {b.start.date() for b in self.bookings}
        self.assertGreater(len(utc_days), 1)
        with patch.object(
            ChromeBrowser, "navigate_to", _navigate_in_paris(ChromeBrowser.navigate_to)
        ):
            self.start_tour(
                "/odoo/action-atelier_booking.atelier_booking_day_action",
                "atelier_booking_today_filter_tour",
                login="tdf_gaetan",
            )
