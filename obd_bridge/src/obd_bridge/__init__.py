# SPDX-License-Identifier: GPL-2.0-or-later
"""atelier-obd-bridge: ELM327 -> python-OBD -> SQLite outbox -> Odoo, losing nothing.

This package is GPL-2.0-or-later because it uses python-OBD (GPL-2.0-only); the
Odoo addons it talks to run in another process and stay AGPL-3.
"""

__version__ = "19.0.1.0.0"
