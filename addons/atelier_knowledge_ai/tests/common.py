# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import json

from odoo.tests import TransactionCase

from odoo.addons.atelier_ai.tests.common import AtelierAiServerMixin
from odoo.addons.atelier_knowledge.tests.common import setup_kb


def setup_alex(cls):
    """A small knowledge base (the kb addon's test fixtures), a local
    OpenAI-compatible server, the service Offline."""
    cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
    setup_kb(cls)
    cls.env["atelier.kb.search"]._kb_refresh_vocabulary()
    cls.Alex = cls.env["atelier.ai.alex"]
    cls._start_llm_server()
    cls._go_offline()


class AlexCase(AtelierAiServerMixin, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        setup_alex(cls)

    def setUp(self):
        super().setUp()
        self.llm.reset()

    def ask(self, question, user=None, **kw):
        Alex = self.Alex.with_user(user) if user else self.Alex
        return Alex._ask(question, **kw)

    def usage(self):
        return self.env["atelier.ai.usage"].search(
            [("feature_id.code", "=", "alex")], limit=1
        )


def parse_events(text):
    """``[(event, data)]`` of a server-sent-events body."""
    events = []
    for block in text.split("\n\n"):
        name, data = "message", []
        for line in block.splitlines():
            if line.startswith("event:"):
                name = line[6:].strip()
            elif line.startswith("data:"):
                data.append(line[5:].strip())
        if data:
            events.append((name, json.loads("\n".join(data))))
    return events
