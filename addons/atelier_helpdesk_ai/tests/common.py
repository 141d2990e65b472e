# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.tests import new_test_user

from odoo.addons.atelier_ai.tests.common import AtelierAiServerMixin
from odoo.addons.atelier_helpdesk.tests.common import AtelierHelpdeskCommon


class AtelierHelpdeskAiCommon(AtelierAiServerMixin, AtelierHelpdeskCommon):
    """Helpdesk fixtures, a local OpenAI-compatible server, Offline by
    default (``cls._ai_settings()`` points the service at the server)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        ref = cls.env.ref
        cls.type_quote = ref("atelier_helpdesk.helpdesk_type_quote")
        cls.type_diagnostic = ref("atelier_helpdesk.helpdesk_type_diagnostic")
        cls.type_training = ref("atelier_helpdesk.helpdesk_type_training")
        cls.team_workshop = ref("atelier_helpdesk.helpdesk_team_workshop")
        cls.technician = new_test_user(
            cls.env, login="gaetan_hd_ai", groups="atelier_base.group_technician"
        )
        cls.portal_user = new_test_user(
            cls.env, login="client_hd_ai", groups="base.group_portal"
        )
        cls.client.lang = "fr_FR" if cls.env["res.lang"]._lang_get("fr_FR") else "en_US"
        cls._start_llm_server()
        cls._go_offline()

    def setUp(self):
        super().setUp()
        self.llm.reset()

    def new_ticket(self, name, description, **vals):
        return self._new_ticket(
            name=name, description=f"<p>{description}</p>", **vals
        ).with_user(self.user_claire)
