# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Known OBD-II PIDs, named as python-OBD commands, with our own plausible ranges.

The range is what a road car can physically report (SAE scaling allows more:
e.g. RPM up to 16,383.75); a value outside it is a garbled frame, not a reading.
``main`` PIDs are drawn on the session chart and summarized in the report.
"""

from collections import namedtuple

from odoo.tools.translate import LazyTranslate

_lt = LazyTranslate(__name__)

Pid = namedtuple("Pid", "name unit vmin vmax label main")

KNOWN_PIDS = {
    pid.name: pid
    for pid in (
        Pid("RPM", "rpm", 0.0, 10000.0, _lt("Engine speed"), True),
        Pid("SPEED", "km/h", 0.0, 300.0, _lt("Vehicle speed"), True),
        Pid("COOLANT_TEMP", "°C", -40.0, 150.0, _lt("Coolant temperature"), True),
        Pid("ENGINE_LOAD", "%", 0.0, 100.0, _lt("Engine load"), True),
        Pid("THROTTLE_POS", "%", 0.0, 100.0, _lt("Throttle position"), True),
        Pid("INTAKE_TEMP", "°C", -40.0, 120.0, _lt("Intake air temperature"), False),
        Pid("MAF", "g/s", 0.0, 700.0, _lt("Mass air flow"), True),
        Pid("FUEL_LEVEL", "%", 0.0, 100.0, _lt("Fuel level"), False),
        Pid("CONTROL_MODULE_VOLTAGE", "V", 0.0, 20.0, _lt("Module voltage"), True),
        Pid(
            "INTAKE_PRESSURE", "kPa", 0.0, 255.0, _lt("Intake manifold pressure"), False
        ),
        Pid(
            "BAROMETRIC_PRESSURE", "kPa", 50.0, 120.0, _lt("Barometric pressure"), False
        ),
        Pid("TIMING_ADVANCE", "°", -64.0, 64.0, _lt("Timing advance"), False),
        Pid(
            "SHORT_FUEL_TRIM_1",
            "%",
            -100.0,
            100.0,
            _lt("Short fuel trim, bank 1"),
            False,
        ),
        Pid(
            "LONG_FUEL_TRIM_1", "%", -100.0, 100.0, _lt("Long fuel trim, bank 1"), False
        ),
        Pid(
            "SHORT_FUEL_TRIM_2",
            "%",
            -100.0,
            100.0,
            _lt("Short fuel trim, bank 2"),
            False,
        ),
        Pid(
            "LONG_FUEL_TRIM_2", "%", -100.0, 100.0, _lt("Long fuel trim, bank 2"), False
        ),
        Pid("FUEL_PRESSURE", "kPa", 0.0, 765.0, _lt("Fuel pressure"), False),
        Pid(
            "FUEL_RAIL_PRESSURE_DIRECT",
            "kPa",
            0.0,
            655350.0,
            _lt("Fuel rail pressure"),
            False,
        ),
        Pid("O2_B1S1", "V", 0.0, 1.275, _lt("Oxygen sensor bank 1 sensor 1"), False),
        Pid("O2_B1S2", "V", 0.0, 1.275, _lt("Oxygen sensor bank 1 sensor 2"), False),
        Pid("RUN_TIME", "s", 0.0, 65535.0, _lt("Run time since start"), False),
        Pid(
            "DISTANCE_W_MIL",
            "km",
            0.0,
            65535.0,
            _lt("Distance with warning lamp on"),
            False,
        ),
        Pid(
            "DISTANCE_SINCE_DTC_CLEAR",
            "km",
            0.0,
            65535.0,
            _lt("Distance since codes cleared"),
            False,
        ),
        Pid("COMMANDED_EGR", "%", 0.0, 100.0, _lt("Commanded EGR"), False),
        Pid("EGR_ERROR", "%", -100.0, 100.0, _lt("EGR error"), False),
        Pid(
            "EVAPORATIVE_PURGE",
            "%",
            0.0,
            100.0,
            _lt("Commanded evaporative purge"),
            False,
        ),
        Pid(
            "CATALYST_TEMP_B1S1",
            "°C",
            -40.0,
            1100.0,
            _lt("Catalyst temperature bank 1"),
            False,
        ),
        Pid(
            "RELATIVE_THROTTLE_POS",
            "%",
            0.0,
            100.0,
            _lt("Relative throttle position"),
            False,
        ),
        Pid(
            "AMBIANT_AIR_TEMP", "°C", -40.0, 80.0, _lt("Ambient air temperature"), False
        ),
        Pid(
            "ACCELERATOR_POS_D",
            "%",
            0.0,
            100.0,
            _lt("Accelerator pedal position D"),
            False,
        ),
        Pid(
            "ACCELERATOR_POS_E",
            "%",
            0.0,
            100.0,
            _lt("Accelerator pedal position E"),
            False,
        ),
        Pid("OIL_TEMP", "°C", -40.0, 180.0, _lt("Engine oil temperature"), False),
        Pid("FUEL_RATE", "L/h", 0.0, 200.0, _lt("Engine fuel rate"), False),
        Pid("ABSOLUTE_LOAD", "%", 0.0, 800.0, _lt("Absolute load"), False),
        Pid(
            "COMMANDED_EQUIV_RATIO",
            "",
            0.0,
            2.0,
            _lt("Commanded air-fuel ratio"),
            False,
        ),
    )
}
MAIN_PIDS = tuple(name for name, pid in KNOWN_PIDS.items() if pid.main)
