# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The demo day's records whose dates depend on the day the demo is
installed (this week's appointments, today's diagnostic sessions) or whose
addons the desk does not depend on (vehicles): built in Python, the story
itself (names, texts) in French, like the rest of the demo."""

import uuid
from datetime import datetime, time, timedelta

from odoo import api, fields, models

# (appointment type, client, what the client wrote, booked by the client)
DEMO_APPOINTMENTS = [
    (
        "atelier_booking.appointment_type_workshop",
        "atelier_base.partner_leroy_martine",
        "Clio : bruit au freinage depuis l'entretien",
        True,
    ),
    (
        "atelier_booking.appointment_type_home_diagnostic",
        "atelier_base.partner_dupont_jean",
        "Golf : voyant moteur, le moteur broute à froid",
        False,
    ),
    (
        "atelier_booking.appointment_type_home_diagnostic",
        "atelier_base.partner_morel_thomas",
        "Micra : perte de puissance en côte",
        False,
    ),
    (
        "atelier_booking.appointment_type_workshop",
        "atelier_base.partner_martin_luc",
        "Contrôle avant départ en vacances",
        False,
    ),
    (
        "atelier_booking.appointment_type_video",
        "atelier_base.partner_fournier_julie",
        "Comprendre le devis de réparation",
        False,
    ),
    (
        "atelier_booking.appointment_type_workshop",
        "atelier_base.partner_bernard_hugo",
        "Taxi : contrôle des codes défaut après réparation",
        False,
    ),
]

# (client, plate, VIN, fleet demo model, trouble codes)
DEMO_VEHICLES = [
    (
        "atelier_base.partner_dupont_jean",
        "FR-318-DJ",
        "WVWZZZCDZMW000318",
        "fleet.model_golf_8",
        [("P0171", "stored"), ("P0300", "pending")],
    ),
    (
        "atelier_base.partner_leroy_martine",
        "EL-205-MR",
        "VF1RJA00X64000205",
        "fleet.model_clio",
        [("C0035", "stored")],
    ),
    (
        "atelier_base.partner_morel_thomas",
        "GT-774-TM",
        "SJNFAAK12U0000774",
        "fleet.model_micra",
        [("P0301", "stored")],
    ),
]

WEBSITE_MENUS = {
    "/": "Accueil",
    "/shop": "Boutique",
    "/slides": "Formations",
    "/contactus": "Contact",
    "/kb": "Base de connaissances",
}


class AtelierDeskDemo(models.AbstractModel):
    _name = "atelier.desk.demo"
    _description = "Desk: the demo day"

    @api.model
    def _load_demo_day(self):
        self._load_demo_appointments()
        self._load_demo_vehicles()
        self._load_demo_website()

    @api.model
    def _load_demo_appointments(self):
        """This week's appointments (from now on) for Gaëtan: one booked by
        Martine on the portal, the others by the desk; all confirmed."""
        Booking = self.env["atelier.booking"]
        gaetan = self.env.ref("atelier_base.user_gaetan", raise_if_not_found=False)
        if not gaetan or Booking.search_count([("technician_id", "=", gaetan.id)]):
            return
        martine = self.env.ref(
            "atelier_base.user_martine_portal", raise_if_not_found=False
        )
        since = fields.Datetime.now()
        for index, (type_ref, client_ref, description, by_client) in enumerate(
            DEMO_APPOINTMENTS
        ):
            appointment_type = self.env.ref(type_ref, raise_if_not_found=False)
            client = self.env.ref(client_ref, raise_if_not_found=False)
            if not appointment_type or not client:
                continue
            # spread over the coming working days: a morning and an
            # afternoon a day
            slots = appointment_type._next_free_slots(
                limit=1,
                date_from=self._demo_working_day(since, index // 2)
                + timedelta(hours=7 + 5 * (index % 2)),
                technician=gaetan,
            )
            if not slots:
                continue
            start = slots[0][0]
            book = Booking.with_user(martine) if by_client and martine else Booking
            vehicle = description.split(" : ")[0] if " : " in description else ""
            book._book(
                appointment_type,
                start,
                partner=client,
                technician=gaetan,
                hold=False,
                answers={
                    "answer_description": description,
                    "answer_vehicle": vehicle or False,
                    "answer_address": ", ".join(
                        part
                        for part in (client.street, client.zip, client.city)
                        if part
                    )
                    or False,
                },
            )

    @api.model
    def _demo_working_day(self, since, offset):
        """Midnight (UTC) of the ``offset``-th working day after ``since``."""
        day = since.date() + timedelta(days=1)
        while day.weekday() >= 5:
            day += timedelta(days=1)
        for _index in range(offset):
            day += timedelta(days=1)
            while day.weekday() >= 5:
                day += timedelta(days=1)
        return datetime.combine(day, time())

    @api.model
    def _load_demo_vehicles(self):
        """Three clients' vehicles, each with this morning's diagnostic
        session and its trouble codes, when the diagnostics are installed."""
        if "atelier.obd.session" not in self.env:
            return
        Vehicle = self.env["fleet.vehicle"]
        Session = self.env["atelier.obd.session"]
        now = fields.Datetime.now()
        for index, (client_ref, plate, vin, model_ref, codes) in enumerate(
            DEMO_VEHICLES
        ):
            client = self.env.ref(client_ref, raise_if_not_found=False)
            model = self.env.ref(model_ref, raise_if_not_found=False)
            if not client or not model or Vehicle.search_count([("vin_sn", "=", vin)]):
                continue
            Vehicle.create(
                {
                    "model_id": model.id,
                    "license_plate": plate,
                    "vin_sn": vin,
                    "atelier_owner_id": client.id,
                }
            )
            started = now - timedelta(hours=3 + index)

            def stamp(moment):
                return moment.strftime("%Y-%m-%dT%H:%M:%SZ")

            Session.ingest(
                {
                    "bridge_id": "garage-1",
                    "batch_uuid": str(uuid.uuid5(uuid.NAMESPACE_URL, f"b-{vin}")),
                    "session_uuid": str(uuid.uuid5(uuid.NAMESPACE_URL, f"s-{vin}")),
                    "vin": vin,
                    "adapter": "ELM327 v1.5",
                    "protocol": "ISO 15765-4 (CAN 11/500)",
                    "started_at": stamp(started),
                    "odometer": 60000 + 17000 * index,
                    "readings": [
                        {
                            "pid": pid,
                            "ts": stamp(started + timedelta(seconds=2 * i)),
                            "value": value,
                            "unit": unit,
                        }
                        for i in range(60)
                        for pid, value, unit in (
                            ("RPM", 800 + (i % 20) * 60, "rpm"),
                            ("COOLANT_TEMP", min(90, 40 + i), "°C"),
                        )
                    ],
                    "dtcs": [
                        {
                            "code": code,
                            "status": status,
                            "ts": stamp(started + timedelta(minutes=1)),
                        }
                        for code, status in codes
                    ],
                    "events": [
                        {"type": "connected", "ts": stamp(started), "detail": "démo"},
                        {
                            "type": "session_end",
                            "ts": stamp(started + timedelta(minutes=5)),
                        },
                    ],
                }
            )

    @api.model
    def _load_demo_website(self):
        """The French company's site: its name and logo instead of "Your
        Logo", French menu entries ("Prendre rendez-vous" comes with the
        booking addon)."""
        company = self.env.ref("base.main_company")
        websites = self.env["website"].search([("company_id", "=", company.id)])
        for website in websites:
            values = {"name": company.name}
            if company.logo:
                values["logo"] = company.logo
            website.write(values)
        menus = self.env["website.menu"].search([("url", "in", list(WEBSITE_MENUS))])
        for menu in menus:
            menu.name = WEBSITE_MENUS[menu.url]
