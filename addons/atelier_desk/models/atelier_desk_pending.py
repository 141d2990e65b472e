# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.exceptions import AccessError
from odoo.tools import SQL

KINDS = [
    ("call_no_outcome", "Answered call without outcome"),
    ("call_no_callback", "Missed call without call-back"),
    ("ticket_no_owner", "Ticket without owner"),
    ("portal_request", "Portal request waiting"),
    ("email_set_aside", "E-mail set aside"),
    ("lead_no_salesperson", "Lead without salesperson"),
]


class AtelierDeskPending(models.Model):
    """ "Rien d'oublié": every inbound contact that nobody owns yet or that has
    no next step, computed in SQL from the records themselves (one UNION ALL
    branch per rule, each on indexed columns), so the list is always true
    and empty once everything is handled.

    A row's id is ``record id * 10 + branch number``: stable while the row
    exists, unique across branches."""

    _name = "atelier.desk.pending"
    _description = "Nothing forgotten"
    _auto = False
    _order = "date desc, id desc"
    _depends = {
        "atelier.call": [
            "state",
            "direction",
            "outcome",
            "callback_done",
            "callback_activity_id",
            "partner_id",
            "partner_number",
            "user_id",
            "line_id",
            "start_at",
            "end_at",
        ],
        "helpdesk.ticket": [
            "user_id",
            "stage_id",
            "active",
            "atelier_channel",
            "atelier_call_id",
            "partner_id",
            "team_id",
        ],
        "atelier.booking": ["state", "awaiting_approval", "atelier_call_id"],
        "atelier.mail.quarantine": ["state"],
        "mail.activity": ["active"],
    }

    kind = fields.Selection(KINDS, string="To do", readonly=True)
    name = fields.Char(readonly=True)
    detail = fields.Char(readonly=True)
    date = fields.Datetime(readonly=True)
    partner_id = fields.Many2one("res.partner", string="Contact", readonly=True)
    user_id = fields.Many2one("res.users", string="For", readonly=True)
    res_model = fields.Char(string="Model", readonly=True)
    res_id = fields.Many2oneReference(
        string="Record", model_field="res_model", readonly=True
    )

    @property
    def _table_query(self):
        branches = [
            # 1. an answered (and ended) call that left no trace
            SQL(
                """
                SELECT c.id * 10 + 1 AS id, 'call_no_outcome' AS kind,
                       c.name AS name, c.partner_number AS detail,
                       COALESCE(c.end_at, c.start_at) AS date,
                       c.partner_id AS partner_id,
                       COALESCE(c.user_id, l.owner_id) AS user_id,
                       'atelier.call' AS res_model, c.id AS res_id
                  FROM atelier_call c
                  JOIN atelier_cti_line l ON l.id = c.line_id
                 WHERE c.direction = 'inbound' AND c.state = 'ended'
                   AND c.outcome IS NULL
                   AND NOT EXISTS (SELECT 1 FROM helpdesk_ticket t
                                    WHERE t.atelier_call_id = c.id)
                   AND NOT EXISTS (SELECT 1 FROM atelier_booking b
                                    WHERE b.atelier_call_id = c.id)
                """
            ),
            # 2. a missed call nobody is going to call back
            SQL(
                """
                SELECT c.id * 10 + 2, 'call_no_callback', c.name,
                       c.partner_number, c.start_at, c.partner_id,
                       l.owner_id, 'atelier.call', c.id
                  FROM atelier_call c
                  JOIN atelier_cti_line l ON l.id = c.line_id
                 WHERE c.direction = 'inbound' AND c.state = 'missed'
                   AND c.callback_done IS NOT TRUE AND c.outcome IS NULL
                   AND c.partner_number IS NOT NULL
                   AND NOT EXISTS (SELECT 1 FROM mail_activity a
                                    WHERE a.id = c.callback_activity_id
                                      AND a.active)
                """
            ),
            # 3. an open ticket (an e-mail, a call...) that nobody owns
            SQL(
                """
                SELECT t.id * 10 + 3,
                       CASE WHEN t.atelier_channel IN ('portal', 'web')
                            THEN 'portal_request' ELSE 'ticket_no_owner' END,
                       COALESCE(t.number || ' ', '') || t.name,
                       COALESCE(tm.name->>%(lang)s, tm.name->>'en_US'),
                       t.create_date, t.partner_id,
                       tm.user_id, 'helpdesk.ticket', t.id
                  FROM helpdesk_ticket t
                  JOIN helpdesk_ticket_stage s ON s.id = t.stage_id
                  LEFT JOIN helpdesk_ticket_team tm ON tm.id = t.team_id
                 WHERE t.active AND s.closed IS NOT TRUE AND t.user_id IS NULL
                """,
                lang=self.env.lang or "en_US",
            ),
            # 4. a booking request the client confirmed, waiting for the desk
            SQL(
                """
                SELECT b.id * 10 + 4, 'portal_request', b.name, NULL,
                       b.create_date, b.partner_id, NULL, 'atelier.booking', b.id
                  FROM atelier_booking b
                 WHERE b.state = 'held' AND b.awaiting_approval
                """
            ),
            # 5. an incoming e-mail the gateway set aside
            SQL(
                """
                SELECT q.id * 10 + 5, 'email_set_aside', q.name, q.email_from,
                       q.date, NULL, NULL, 'atelier.mail.quarantine', q.id
                  FROM atelier_mail_quarantine q
                 WHERE q.state = 'new'
                """
            ),
        ]
        if "crm.lead" in self.env:
            # soft dependency: leads only when the CRM is installed
            self.env["crm.lead"].flush_model(["user_id", "active", "stage_id"])
            branches.append(
                SQL(
                    """
                    SELECT ld.id * 10 + 6, 'lead_no_salesperson', ld.name,
                           ld.email_from, ld.create_date, ld.partner_id, NULL,
                           'crm.lead', ld.id
                      FROM crm_lead ld
                      LEFT JOIN crm_stage st ON st.id = ld.stage_id
                     WHERE ld.active AND ld.user_id IS NULL
                       AND NOT COALESCE(st.is_won, FALSE)
                    """
                )
            )
        return SQL(" UNION ALL ").join(branches)

    # ------------------------------------------------------------------
    # Business methods
    # ------------------------------------------------------------------
    @api.model
    @api.readonly
    def atelier_counts(self):
        """``{kind: count}`` of the lines the user may see, every kind
        listed (zero included)."""
        if not self.has_access("read"):
            raise AccessError(self.env._("This list is for the desk."))
        counts = dict(self._read_group([], ["kind"], ["__count"]))
        labels = dict(self._fields["kind"]._description_selection(self.env))
        kinds = [kind for kind, _label in KINDS]
        if "crm.lead" not in self.env:
            kinds.remove("lead_no_salesperson")
        return [
            {"kind": kind, "label": labels[kind], "count": counts.get(kind, 0)}
            for kind in kinds
        ]
