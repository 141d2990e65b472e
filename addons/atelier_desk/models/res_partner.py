# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.fields import Domain
from odoo.tools import SQL

from odoo.addons.atelier_cti.models.atelier_call import RECENT_CALLS

TIMELINE_PAGE = 30
TIMELINE_MAX_PAGE = 200


class ResPartner(models.Model):
    _inherit = "res.partner"

    # ------------------------------------------------------------------
    # Timeline: an extension point, like the customer card
    # ------------------------------------------------------------------
    def _atelier_timeline_sources(self):
        """What the contact's timeline lists; addons extend by inheritance.

        Each source is a dict:

        - ``key``: the filter it belongs to (several sources may share one,
          e.g. e-mails received and sent); ``label``; ``icon`` (Font Awesome);
        - ``model``; ``partner_field``: the many2one linking a record to the
          contact (or None when ``domain`` selects the contact's records
          itself); ``date_field``: where the record sits in time;
        - ``domain`` (optional): which records of the model are events;
        - ``sudo_search`` (optional): search without the model's access rules
          and check them on the shown page only (mail.message, whose own
          search checks every message of the contact in Python);
        - ``values`` (optional): a function of the shown records returning
          ``{id: {"title", "body", "badge", "badge_color"}}``, for a model
          the desk cannot extend (an addon it does not depend on).

        A source is skipped when its model is not installed or the user may
        not read it; records are searched with the user's record rules. Give
        the model an index on (partner field, date field) and a
        ``_atelier_timeline_values()`` (see mail.message's here) to show more
        than the record's name.
        """
        Message = self.env["mail.message"]
        partners = self._atelier_timeline_partners()
        received = Domain("message_type", "=", "email")
        # what the desk sent: to recipients, or notified as a follower
        comment = self.env.ref("mail.mt_comment", raise_if_not_found=False)
        sent = Domain("message_type", "=", "email_outgoing")
        if comment:
            sent |= Domain("message_type", "in", ["comment", "auto_comment"]) & Domain(
                "subtype_id", "=", comment.id
            )
        # its recipients drive the search (two index lookups, then the
        # messages by id), never the message table scanned by date
        sent_ids = [
            row[0]
            for row in self.env.execute_query(
                SQL(
                    "SELECT mail_message_id FROM mail_message_res_partner_rel "
                    "WHERE res_partner_id = ANY(%(ids)s) "
                    "UNION SELECT mail_message_id FROM mail_notification "
                    "WHERE res_partner_id = ANY(%(ids)s)",
                    ids=partners.ids,
                )
            )
        ]
        sent &= Domain("author_id", "not in", partners.ids) & Domain(
            "id", "in", sent_ids
        )
        sources = [
            {
                "key": "call",
                "label": self.env._("Calls"),
                "icon": "fa-phone",
                "model": "atelier.call",
                "partner_field": "partner_id",
                "date_field": "start_at",
            },
            {
                "key": "email",
                "label": self.env._("E-mails"),
                "icon": "fa-envelope",
                "model": Message._name,
                "partner_field": "author_id",
                "date_field": "date",
                "domain": received,
                "sudo_search": True,
            },
            {
                "key": "email",
                "label": self.env._("E-mails"),
                "icon": "fa-envelope",
                "model": Message._name,
                # the recipients are in the domain; no single partner column
                "partner_field": None,
                "date_field": "date",
                "domain": sent,
                "sudo_search": True,
            },
            {
                "key": "ticket",
                "label": self.env._("Tickets"),
                "icon": "fa-life-ring",
                "model": "helpdesk.ticket",
                "partner_field": "partner_id",
                "date_field": "create_date",
            },
            {
                "key": "booking",
                "label": self.env._("Appointments"),
                "icon": "fa-calendar",
                "model": "atelier.booking",
                "partner_field": "partner_id",
                "date_field": "start",
                "domain": Domain("state", "!=", "held"),
            },
        ]
        # Addons the desk does not depend on: only when they are installed
        if "atelier.obd.session" in self.env:
            sources.append(
                {
                    "key": "diagnostic",
                    "label": self.env._("Diagnostics"),
                    "icon": "fa-car",
                    "model": "atelier.obd.session",
                    "partner_field": "partner_id",
                    "date_field": "started_at",
                }
            )
        if "atelier.academy.attendance" in self.env:
            sources += [
                {
                    "key": "course",
                    "label": self.env._("Courses"),
                    "icon": "fa-graduation-cap",
                    "model": "atelier.academy.attendance",
                    "partner_field": "partner_id",
                    "date_field": "session_start",
                    "values": self._atelier_timeline_attendance_values,
                },
                {
                    "key": "course",
                    "label": self.env._("Courses"),
                    "icon": "fa-graduation-cap",
                    "model": "atelier.academy.certificate",
                    "partner_field": "partner_id",
                    "date_field": "issue_date",
                    "values": self._atelier_timeline_certificate_values,
                },
            ]
        if "crm.lead" in self.env:
            sources.append(
                {
                    "key": "opportunity",
                    "label": self.env._("Opportunities"),
                    "icon": "fa-star",
                    "model": "crm.lead",
                    "partner_field": "partner_id",
                    "date_field": "create_date",
                }
            )
        return sources

    def _atelier_timeline_attendance_values(self, attendances):
        """A coaching session of the academy, with the learner's presence."""
        states = dict(attendances._fields["state"]._description_selection(self.env))
        colors = {"present": "success", "late": "warning", "absent": "danger"}
        return {
            attendance.id: {
                "title": attendance.session_id.display_name,
                "body": attendance.coach_id.name or "",
                "badge": states.get(attendance.state),
                "badge_color": colors.get(attendance.state, "secondary"),
                "open_model": "atelier.academy.session",
                "open_id": attendance.session_id.id,
            }
            for attendance in attendances
        }

    def _atelier_timeline_certificate_values(self, certificates):
        """A certificate issued by the academy."""
        return {
            certificate.id: {
                "title": self.env._(
                    "Certificate: %(path)s", path=certificate.path_name or ""
                ),
                "body": certificate.verification_code,
                "badge": certificate.state == "revoked" and self.env._("Revoked") or "",
                "badge_color": "danger",
            }
            for certificate in certificates
        }

    def _atelier_timeline_partners(self):
        """The contact, or a company and all its people."""
        self.ensure_one()
        if not self.is_company:
            return self
        return (
            self.sudo()
            .with_context(active_test=False)
            .search([("id", "child_of", self.id)])
            .sudo(False)
        )

    @api.readonly
    def atelier_timeline(self, kinds=None, cursor=None, limit=TIMELINE_PAGE):
        """One page of the contact's timeline, newest first.

        ``kinds``: the source keys to show (all by default); ``cursor``: the
        ``next`` of the previous page. Returns ``{"items", "next", "kinds",
        "company"}``; ``kinds`` (with counts) only on the first page.
        """
        self.ensure_one()
        if not self.env.user._is_internal():
            raise AccessError(self.env._("The timeline is for employees."))
        self.check_access("read")
        try:
            limit = max(1, min(int(limit), TIMELINE_MAX_PAGE))
        except (TypeError, ValueError):
            raise UserError(self.env._("Invalid page size.")) from None
        after = self._atelier_timeline_parse_cursor(cursor)
        partners = self._atelier_timeline_partners()
        sources = [
            source
            for source in self._atelier_timeline_sources()
            if source["model"] in self.env
            and self.env[source["model"]].has_access("read")
        ]
        wanted = set(kinds) if kinds else None
        branches = []
        for index, source in enumerate(sources):
            if wanted is not None and source["key"] not in wanted:
                continue
            branches.append(
                self._atelier_timeline_branch(index, source, partners, after, limit)
            )
        rows = []
        if branches:
            # execute_query flushes what the branches read (their metadata)
            rows = self.env.execute_query(
                SQL(
                    "SELECT src, id, date, partner_id FROM (%s) t "
                    "ORDER BY date DESC, src, id DESC LIMIT %s",
                    SQL(" UNION ALL ").join(branches),
                    limit + 1,
                )
            )
        more = len(rows) > limit
        rows = rows[:limit]
        items = self._atelier_timeline_items(sources, rows, partners)
        result = {
            "items": items,
            "next": self._atelier_timeline_cursor(rows[-1]) if more else False,
            "company": len(partners) > 1,
        }
        if not cursor:
            result["kinds"] = self._atelier_timeline_counts(sources, partners)
        return result

    def _atelier_timeline_query(self, source, partners, extra=None):
        Model = self.env[source["model"]]
        domain = Domain(source["date_field"], "!=", False) & Domain(
            source.get("domain") or Domain.TRUE
        )
        if source.get("partner_field"):
            domain &= Domain(source["partner_field"], "in", partners.ids)
        if extra is not None:
            domain &= extra
        if source.get("sudo_search"):
            return Model._search(domain, bypass_access=True)
        return Model._search(domain)

    def _atelier_timeline_branch(self, index, source, partners, after, limit):
        """SELECT of one source: (src, id, date, partner_id), its first
        ``limit + 1`` rows after the cursor, from its (partner, date) index."""
        Model = self.env[source["model"]]
        date_field = source["date_field"]
        extra = None
        if after:
            when, src, record_id = after
            same_time = Domain(date_field, "=", when)
            if index > src:
                extra = Domain(date_field, "<=", when)
            elif index == src:
                extra = Domain(date_field, "<", when) | (
                    same_time & Domain("id", "<", record_id)
                )
            else:
                extra = Domain(date_field, "<", when)
        query = self._atelier_timeline_query(source, partners, extra)
        alias = query.table
        date_sql = Model._field_to_sql(alias, date_field, query)
        field = Model._fields.get(source.get("partner_field") or "")
        partner_sql = (
            Model._field_to_sql(alias, field.name, query)
            if field and field.type == "many2one"
            else SQL("NULL::int")
        )
        query.order = SQL("%s DESC, %s DESC", date_sql, SQL.identifier(alias, "id"))
        query.limit = limit + 1
        return SQL(
            "(%s)",
            query.select(
                SQL("%s AS src", index),
                SQL("%s AS id", SQL.identifier(alias, "id")),
                SQL("%s AS date", date_sql),
                SQL("%s AS partner_id", partner_sql),
            ),
        )

    def _atelier_timeline_counts(self, sources, partners):
        counts = {}
        kinds = {}
        for source in sources:
            query = self._atelier_timeline_query(source, partners)
            [[count]] = self.env.execute_query(query.select(SQL("count(*)")))
            counts[source["key"]] = counts.get(source["key"], 0) + count
            kinds.setdefault(
                source["key"],
                {
                    "key": source["key"],
                    "label": source["label"],
                    "icon": source["icon"],
                },
            )
        return [dict(kind, count=counts[key]) for key, kind in kinds.items()]

    def _atelier_timeline_items(self, sources, rows, partners):
        """The page's rows as items, each record read with the user's rights
        (a record the user may not read is left out)."""
        by_model = {}
        for src, record_id, _date, _partner in rows:
            by_model.setdefault(sources[src]["model"], []).append(record_id)
        values = {}
        for model, ids in by_model.items():
            records = self.env[model].browse(ids)._filtered_access("read")
            render = next(
                (
                    s["values"]
                    for s in sources
                    if s["model"] == model and s.get("values")
                ),
                None,
            )
            if render:
                values[model] = render(records)
            elif hasattr(records, "_atelier_timeline_values"):
                values[model] = records._atelier_timeline_values()
            else:
                values[model] = {
                    record.id: {"title": record.display_name} for record in records
                }
        # in a company's timeline, whose event it is (the person, not the
        # company again)
        names = {partner.id: partner.name or "" for partner in partners}
        items = []
        seen = set()
        for src, record_id, date, partner_id in rows:
            source = sources[src]
            vals = values[source["model"]].get(record_id)
            if vals is None or (source["model"], record_id) in seen:
                continue
            seen.add((source["model"], record_id))
            items.append(
                {
                    "key": f"{source['model']}-{record_id}",
                    "kind": source["key"],
                    "kind_label": source["label"],
                    "icon": source["icon"],
                    "date": fields.Datetime.to_string(date),
                    "res_model": source["model"],
                    "res_id": record_id,
                    "partner": names.get(partner_id, "")
                    if len(partners) > 1 and partner_id != self.id
                    else "",
                    "title": vals.get("title") or "",
                    "body": vals.get("body") or "",
                    "badge": vals.get("badge") or "",
                    "badge_color": vals.get("badge_color") or "secondary",
                    "open_model": vals.get("open_model") or source["model"],
                    "open_id": vals.get("open_id") or record_id,
                }
            )
        return items

    @api.model
    def _atelier_timeline_cursor(self, row):
        src, record_id, date, _partner = row
        return f"{fields.Datetime.to_string(date)}|{src}|{record_id}"

    @api.model
    def _atelier_timeline_parse_cursor(self, cursor):
        if not cursor:
            return None
        try:
            when, src, record_id = str(cursor).split("|")
            return fields.Datetime.to_datetime(when), int(src), int(record_id)
        except (TypeError, ValueError):
            raise UserError(self.env._("Invalid timeline position.")) from None

    # ------------------------------------------------------------------
    # Customer card: a company's card covers its people
    # ------------------------------------------------------------------
    def _atelier_card_sections(self):
        """The recent calls of a company include its people's (a call from
        the switchboard is about any of them); tickets and appointments are
        already counted on the company by their addons."""
        sections = super()._atelier_card_sections()
        if not self.is_company or not self.child_ids:
            return sections
        Call = self.env["atelier.call"]
        for section in sections:
            if section["key"] != "calls":
                continue
            domain = [("partner_id", "child_of", self.id)]
            calls = Call.search(domain, limit=RECENT_CALLS)
            people = {
                item["res_id"]: item for item in section["items"] if item.get("res_id")
            }
            items = []
            for call in calls:
                item = people.get(call.id) or self._atelier_card_call_item(call)
                if call.partner_id != self:
                    item = dict(item, value=f"{call.partner_id.name} · {item['value']}")
                items.append(item)
            section.update(
                items=items,
                count=Call.search_count(domain),
                action=dict(section["action"] or {}, domain=domain)
                if section.get("action")
                else False,
            )
        return sections

    def _atelier_card_call_item(self, call):
        states = dict(call._fields["state"]._description_selection(self.env))
        colors = {"missed": "danger", "ringing": "warning", "answered": "info"}
        return {
            "label": fields.Datetime.context_timestamp(self, call.start_at).strftime(
                "%d/%m %H:%M"
            )
            if call.start_at
            else "",
            "value": call.user_id.name or call.partner_number or "",
            "res_model": "atelier.call",
            "res_id": call.id,
            "badge": states.get(call.state),
            "badge_color": colors.get(call.state, "success"),
        }

    # ------------------------------------------------------------------
    # The card on the portal home: the client's own data
    # ------------------------------------------------------------------
    def _atelier_portal_card_keys(self):
        """Sections of the card a client sees on the portal home, with the
        portal page listing each; addons (a glue) add theirs by inheritance,
        e.g. ``{**super()._atelier_portal_card_keys(), "opportunities": …}``.
        Calls, e-mails and the contact section stay for employees."""
        keys = {"tickets": "/my/tickets", "appointments": "/my/bookings"}
        if (
            "fleet.vehicle" in self.env
            and "atelier_owner_id" in self.env["fleet.vehicle"]._fields
        ):
            keys["vehicles"] = "/my/vehicles"
        if "atelier.academy.enrolment" in self.env:
            keys["academy"] = "/my/academy"
        return keys

    def _atelier_portal_card_url(self, res_model, res_id):
        """Where the portal shows one record of a card section (False: shown
        as text)."""
        record = self.env[res_model].browse(res_id)
        if "access_url" in record._fields:
            return record.access_url
        return {
            "fleet.vehicle": f"/my/vehicles/{res_id}",
            "atelier.booking": "/my/bookings",
            "atelier.academy.enrolment": "/my/academy",
        }.get(res_model, False)

    def _atelier_portal_card(self):
        """The card sections of the portal home, for the client logged in.

        The same ``_atelier_card_sections()`` as the pop-up and the partner
        form, computed with the portal user's rights (every addon's section
        searches with the record rules: a client sees their own records, and
        a company's contact the company's, as the portal rules allow), with
        portal links instead of back-office actions."""
        self.ensure_one()
        if self.env.user.partner_id != self:
            raise AccessError(self.env._("This is another client's card."))
        keys = self._atelier_portal_card_keys()
        sections = []
        for section in sorted(
            self._atelier_card_sections(), key=lambda s: s["sequence"]
        ):
            if section["key"] not in keys:
                continue
            items = [
                {
                    "label": item.get("label") or "",
                    "value": item.get("value") or "",
                    "badge": item.get("badge") or "",
                    "badge_color": item.get("badge_color") or "info",
                    "url": item.get("res_model")
                    and item.get("res_id")
                    and self._atelier_portal_card_url(
                        item["res_model"], item["res_id"]
                    ),
                }
                for item in section["items"]
            ]
            sections.append(
                {
                    "key": section["key"],
                    "title": section["title"],
                    "count": section["count"],
                    "items": items,
                    "url": keys[section["key"]],
                }
            )
        return sections
