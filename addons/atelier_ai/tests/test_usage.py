# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.tests import tagged

from .common import AtelierAiCase


@tagged("post_install", "-at_install")
class TestUsageLog(AtelierAiCase):
    def _age(self, usage, days):
        self.env.cr.execute(
            "UPDATE atelier_ai_usage"
            " SET create_date = now() - make_interval(days => %s) WHERE id = %s",
            (days, usage.id),
        )
        usage.invalidate_recordset()

    def test_purge_after_the_retention(self):
        self._go_offline()
        old, recent = (self.usage(self.ask()) for _i in range(2))
        self._age(old, 31)
        self._age(recent, 29)
        self._ai_settings(provider="offline", retention_days="30")
        self.assertEqual(self.Usage._cron_purge(), 1)
        self.assertFalse(old.exists())
        self.assertTrue(recent.exists())

    def test_retention_zero_keeps_everything(self):
        self._go_offline()
        usage = self.usage(self.ask())
        self._age(usage, 4000)
        self._ai_settings(provider="offline", retention_days="0")
        self.assertEqual(self.Usage._cron_purge(), 0)
        self.assertTrue(usage.exists())

    def test_cron_is_scheduled(self):
        cron = self.env.ref("atelier_ai.ir_cron_purge_usage")
        self.assertTrue(cron.active)
        cron.method_direct_trigger()

    def test_feature_statistics(self):
        self._go_offline()
        self.ask()
        self.ask()
        self.assertEqual(self.feature.usage_count, 2)
        self.assertEqual(self.feature.usage_cost, 0)

    def test_rate_limit_counters(self):
        Rate = self.env["atelier.ai.rate"]
        self.assertTrue(all(Rate._hit("alex-ip", "10.0.0.1", 3, 60) for _i in range(3)))
        self.assertFalse(Rate._hit("alex-ip", "10.0.0.1", 3, 60))
        # another visitor, another bucket: their own counters
        self.assertTrue(Rate._hit("alex-ip", "10.0.0.2", 3, 60))
        self.assertTrue(Rate._hit("alex-session", "10.0.0.1", 3, 60))
        rows = Rate.search([])
        self.assertNotIn("10.0.0.1", " ".join(rows.mapped("key")))
        self.env.cr.execute(
            "UPDATE atelier_ai_rate SET window_start = window_start - 90000"
        )
        Rate._purge()
        self.assertFalse(Rate.search([]))
