# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from collections import defaultdict

from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.fields import Domain
from odoo.tools import SQL

from ..tools.vin import VinError, normalize_vin, validate_vin


class FleetVehicle(models.Model):
    _inherit = "fleet.vehicle"

    vin_sn = fields.Char(index="btree_not_null")
    atelier_owner_id = fields.Many2one(
        "res.partner",
        string="Owner",
        index="btree_not_null",
        tracking=True,
        help="The client the vehicle belongs to: sees it on the portal and "
        "receives its diagnostic reports. A vehicle with an owner is a client "
        "vehicle; the company's own cars have none (their driver is an employee, "
        "not an owner).",
    )
    atelier_obd_session_ids = fields.One2many(
        "atelier.obd.session", "vehicle_id", string="Diagnostic sessions"
    )
    atelier_obd_session_count = fields.Integer(
        "Diagnostics", compute="_compute_atelier_obd_stats"
    )
    atelier_last_session_id = fields.Many2one(
        "atelier.obd.session",
        string="Last diagnostic",
        compute="_compute_atelier_obd_stats",
    )
    atelier_last_diagnostic = fields.Datetime(
        "Last diagnostic on", compute="_compute_atelier_obd_stats"
    )
    atelier_open_dtc_ids = fields.Many2many(
        "atelier.obd.session.dtc",
        string="Open trouble codes",
        compute="_compute_atelier_obd_stats",
        help="Trouble codes reported by the last diagnostic session.",
    )
    atelier_dtc_count = fields.Integer(
        "Open codes",
        compute="_compute_atelier_obd_stats",
        search="_search_atelier_dtc_count",
    )
    atelier_last_odometer = fields.Float(
        "Mileage read by the bridge",
        digits=(12, 0),
        compute="_compute_atelier_obd_stats",
        help="The odometer (km) the last diagnostic session reported.",
    )

    @api.depends("atelier_obd_session_ids.started_at")
    def _compute_atelier_obd_stats(self):
        Session = self.env["atelier.obd.session"]
        last_by_vehicle = {}
        counts = {}
        if self.ids:
            # newest first: one query gives both the count and the last session
            sessions = Session.search_fetch(
                [("vehicle_id", "in", self.ids)],
                ["vehicle_id"],
                order="started_at desc, id desc",
            )
            for session in sessions:
                vehicle_id = session.vehicle_id.id
                last_by_vehicle.setdefault(vehicle_id, session.id)
                counts[vehicle_id] = counts.get(vehicle_id, 0) + 1
            # a prefetch set of the last sessions only: their codes are read
            # in one query without loading those of every older session
            lasts = Session.browse(list(last_by_vehicle.values()))
            last_by_vehicle = {s.vehicle_id.id: s for s in lasts}
        for vehicle in self:
            last = last_by_vehicle.get(vehicle.id, Session)
            vehicle.atelier_obd_session_count = counts.get(vehicle.id, 0)
            vehicle.atelier_last_session_id = last
            vehicle.atelier_last_diagnostic = last.started_at
            vehicle.atelier_open_dtc_ids = last.dtc_ids
            vehicle.atelier_dtc_count = len(last.dtc_ids)
            vehicle.atelier_last_odometer = last.odometer

    def _search_atelier_dtc_count(self, operator, value):
        """Vehicles whose last session reported codes (``> 0``) or none."""
        if operator not in (">", "=", "!=") or not isinstance(value, int):
            return NotImplemented
        self.env["atelier.obd.session"].flush_model()
        self.env["atelier.obd.session.dtc"].flush_model()
        self.env.cr.execute(
            SQL(
                """
                SELECT last.vehicle_id
                  FROM (SELECT DISTINCT ON (vehicle_id) id, vehicle_id
                          FROM atelier_obd_session
                         WHERE vehicle_id IS NOT NULL
                      ORDER BY vehicle_id, started_at DESC, id DESC) AS last
                 WHERE EXISTS (SELECT 1 FROM atelier_obd_session_dtc dtc
                                WHERE dtc.session_id = last.id)
                """
            )
        )
        with_codes = [row[0] for row in self.env.cr.fetchall()]
        if (operator == ">" and value == 0) or (operator == "!=" and value == 0):
            return [("id", "in", with_codes)]
        if operator == "=" and value == 0:
            return [("id", "not in", with_codes)]
        return NotImplemented

    @api.constrains("vin_sn")
    def _check_vin(self):
        vehicles = self.filtered("vin_sn")
        for vehicle in vehicles:
            try:
                validate_vin(vehicle.vin_sn)
            except VinError as exc:
                raise ValidationError(
                    self._vin_error_message(vehicle.vin_sn, exc)
                ) from exc
        if not vehicles:
            return
        # one query for the whole batch: every vehicle carrying one of its VINs
        holders = defaultdict(list)
        for holder in self.with_context(active_test=False).search(
            [("vin_sn", "in", list(set(vehicles.mapped("vin_sn"))))]
        ):
            holders[holder.vin_sn].append(holder)
        for vehicle in vehicles:
            twin = next((v for v in holders[vehicle.vin_sn] if v != vehicle), None)
            if twin:
                raise ValidationError(
                    self.env._(
                        "The VIN %(vin)s is already used by the vehicle %(vehicle)s.",
                        vin=vehicle.vin_sn,
                        vehicle=twin.display_name,
                    )
                )

    @api.model
    def _vin_error_message(self, vin, exc):
        if exc.code == "length":
            return self.env._(
                "%(vin)s is not a valid VIN: a VIN has exactly 17 characters.", vin=vin
            )
        if exc.code == "chars":
            return self.env._(
                "%(vin)s is not a valid VIN: only digits and capital letters are "
                "allowed, except I, O and Q.",
                vin=vin,
            )
        return self.env._(
            "%(vin)s is not a valid VIN: its check digit (9th character) does not "
            "match. North-American VINs (starting with 1 to 5) must carry it.",
            vin=vin,
        )

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("vin_sn"):
                vals["vin_sn"] = normalize_vin(vals["vin_sn"])
        vehicles = super().create(vals_list)
        vehicles._atelier_link_orphan_sessions()
        return vehicles

    def write(self, vals):
        if vals.get("vin_sn"):
            vals["vin_sn"] = normalize_vin(vals["vin_sn"])
        res = super().write(vals)
        if vals.get("vin_sn"):
            self._atelier_link_orphan_sessions()
        return res

    def action_atelier_open_sessions(self):
        self.ensure_one()
        self.check_access("read")
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "atelier_fleet_obd.atelier_obd_session_action"
        )
        action["domain"] = [("vehicle_id", "=", self.id)]
        action["context"] = {"default_vehicle_id": self.id}
        return action

    def action_atelier_open_dtcs(self):
        self.ensure_one()
        self.check_access("read")
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "atelier_fleet_obd.atelier_obd_session_dtc_action"
        )
        action["domain"] = [("id", "in", self.atelier_open_dtc_ids.ids)]
        return action

    def _atelier_link_orphan_sessions(self):
        """Sessions received before the vehicle was registered carry its VIN."""
        by_vin = {vehicle.vin_sn: vehicle for vehicle in self if vehicle.vin_sn}
        if not by_vin:
            return
        orphans = (
            self.env["atelier.obd.session"]
            .sudo()
            .search(
                Domain("vehicle_id", "=", False) & Domain("vin", "in", list(by_vin))
            )
        )
        for session in orphans:
            session.vehicle_id = by_vin[session.vin]
