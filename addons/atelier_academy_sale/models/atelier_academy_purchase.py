# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import logging

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import email_normalize, float_compare

from odoo.addons.auth_signup.models.res_users import SignupError

_logger = logging.getLogger(__name__)

OPEN_TX_STATES = ("draft", "pending", "authorized")


class AtelierAcademyPurchase(models.Model):
    """A coaching package paid on a sale order line.

    Created when the order is confirmed (its payment reached "done", or a
    salesperson confirmed it). It holds the buyer, the coach picked for the
    purchase, the seats (one for an individual package, up to the package's
    limit for a team) and the enrolments, whose origin is the order line:
    ``_atelier_enrol`` enrols a learner once per origin, so a replayed
    payment webhook enrols once. A refund revokes them all.
    """

    _name = "atelier.academy.purchase"
    _description = "Coaching package purchase"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "id desc"

    name = fields.Char(compute="_compute_name", store=True)
    order_line_id = fields.Many2one(
        "sale.order.line",
        required=True,
        readonly=True,
        index=True,
        ondelete="restrict",
    )
    order_id = fields.Many2one(
        related="order_line_id.order_id", store=True, index=True, string="Order"
    )
    company_id = fields.Many2one(related="order_id.company_id", store=True)
    currency_id = fields.Many2one(related="order_line_id.currency_id")
    amount = fields.Monetary(related="order_line_id.price_total", string="Paid")
    package_id = fields.Many2one(
        "atelier.academy.package", required=True, readonly=True, ondelete="restrict"
    )
    kind = fields.Selection(related="package_id.kind", store=True)
    partner_id = fields.Many2one(
        "res.partner", string="Buyer", required=True, readonly=True, index=True
    )
    commercial_partner_id = fields.Many2one(
        related="partner_id.commercial_partner_id", string="Buying company"
    )
    coach_id = fields.Many2one(
        "res.users",
        tracking=True,
        help="The coach of every learner of this purchase.",
    )
    seat_limit = fields.Integer(
        "Seats", readonly=True, help="Learners this purchase enrols at most."
    )
    enrolment_ids = fields.One2many(
        "atelier.academy.enrolment", "atelier_purchase_id", string="Enrolments"
    )
    seats_taken = fields.Integer(compute="_compute_seats")
    seats_left = fields.Integer(compute="_compute_seats")
    state = fields.Selection(
        [
            ("pending", "To enrol"),
            ("active", "Active"),
            ("refunded", "Refunded"),
        ],
        required=True,
        default="pending",
        readonly=True,
        tracking=True,
    )
    error = fields.Char(
        "Enrolment problem",
        readonly=True,
        help="Why the buyer could not be enrolled when the order was confirmed.",
    )
    refund_state = fields.Selection(
        [("none", "None"), ("open", "Refund open"), ("done", "Refunded")],
        compute="_compute_refund_state",
    )
    refund_reason = fields.Char(readonly=True)

    _order_line_uniq = models.Constraint(
        "UNIQUE (order_line_id)",
        "An order line pays for one package purchase.",
    )

    @api.depends("order_id.name", "package_id.name")
    def _compute_name(self):
        for purchase in self:
            purchase.name = " — ".join(
                part
                for part in (purchase.order_id.name, purchase.package_id.name)
                if part
            )

    @api.depends("seat_limit", "enrolment_ids.state")
    def _compute_seats(self):
        for purchase in self:
            taken = len(purchase.enrolment_ids.filtered(lambda e: e.state != "revoked"))
            purchase.seats_taken = taken
            purchase.seats_left = max(purchase.seat_limit - taken, 0)

    def _compute_refund_state(self):
        for purchase in self:
            if purchase.state == "refunded":
                purchase.refund_state = "done"
            elif purchase.sudo()._atelier_open_refunds():
                purchase.refund_state = "open"
            else:
                purchase.refund_state = "none"

    # ------------------------------------------------------------------
    # Actions (back office)
    # ------------------------------------------------------------------
    def action_enrol_buyer(self):
        """Enrol the buyer of an individual package again (after fixing the
        package when the automatic enrolment failed)."""
        self._atelier_check_manager()
        for purchase in self.sudo():
            if purchase.state != "pending":
                raise UserError(
                    self.env._("Only a purchase still to enrol can be enrolled.")
                )
            purchase._atelier_start(raise_on_error=True)
        return True

    def action_revoke(self):
        """Revoke the purchase by hand (a refund made outside Odoo)."""
        self._atelier_check_manager()
        self.sudo()._atelier_revoke(
            self.env._("revoked by %(user)s", user=self.env.user.name)
        )
        return True

    def action_view_enrolments(self):
        self.ensure_one()
        self.check_access("read")
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "atelier_academy.atelier_academy_enrolment_action"
        )
        action["domain"] = [("atelier_purchase_id", "=", self.id)]
        action["context"] = {"create": False}
        return action

    # ------------------------------------------------------------------
    # Creation from a confirmed order
    # ------------------------------------------------------------------
    @api.model
    def _atelier_from_order_lines(self, lines):
        """Purchases of the package lines of confirmed orders (once per line).

        Never raises: a package that cannot enrol (no path…) leaves its
        purchase "to enrol" with the reason and an activity for the
        salesperson, and the payment flow goes on.
        """
        Purchase = self.sudo()
        lines = lines.sudo().filtered(
            lambda line: (
                line.product_id.atelier_academy_package_ids
                and not line.display_type
                and line.order_id.state == "sale"
            )
        )
        if not lines:
            return Purchase
        existing = Purchase.search([("order_line_id", "in", lines.ids)])
        new_lines = lines - existing.order_line_id
        purchases = Purchase.create(
            [
                {
                    "order_line_id": line.id,
                    "package_id": line.product_id.atelier_academy_package_ids[:1].id,
                    "partner_id": line.order_id.partner_id.id,
                    "seat_limit": line.product_id.atelier_academy_package_ids[
                        :1
                    ].seat_limit
                    or 1,
                }
                for line in new_lines
            ]
        )
        for purchase in purchases:
            purchase.coach_id = purchase._atelier_pick_coach()
            purchase._atelier_start()
        return existing | purchases

    def _atelier_pick_coach(self):
        """The coach of a new purchase: the fixed coach of the settings, or
        the least busy coach of the package, or the default coach."""
        self.ensure_one()
        params = self.env["ir.config_parameter"].sudo()
        mode = params.get_param("atelier_academy_sale.coach_assignment", "least_loaded")
        default = self.env["res.users"].sudo()
        default_id = params.get_param("atelier_academy_sale.default_coach_id")
        if default_id and default_id.isdigit():
            default = default.browse(int(default_id)).exists()
            if not default.has_group("atelier_base.group_coach"):
                default = default.browse()
        if mode == "fixed" and default:
            return default
        return self.package_id._atelier_pick_coach() or default

    def _atelier_start(self, raise_on_error=False):
        """Enrol the buyer (individual package) or invite them to name their
        team (team package)."""
        self.ensure_one()
        if self.kind == "team":
            self.write({"state": "active", "error": False})
            template = self.env.ref(
                "atelier_academy_sale.mail_template_team_purchase",
                raise_if_not_found=False,
            )
            if template and self.partner_id.email:
                team_url = f"/my/academy/team/{self.id}"
                _user, signup_url = self._atelier_ensure_portal_user(
                    self.partner_id, redirect=team_url
                )
                template.sudo().with_context(
                    atelier_access_url=signup_url or self.get_base_url() + team_url
                ).send_mail(self.id)
            return
        try:
            with self.env.cr.savepoint():
                self._atelier_enrol_partner(self.partner_id)
                self.write({"state": "active", "error": False})
        except UserError as exc:
            if raise_on_error:
                raise
            _logger.info("Purchase %s could not enrol its buyer: %s", self.id, exc)
            self.error = exc.args[0]
            self.message_post(
                body=self.env._(
                    "The buyer could not be enrolled: %(reason)s", reason=exc.args[0]
                )
            )
            self.activity_schedule(
                "mail.mail_activity_data_todo",
                user_id=(self.order_id.user_id or self.env.ref("base.user_admin")).id,
                summary=self.env._(
                    "Enrol the buyer of %(package)s", package=self.package_id.name
                ),
                note=exc.args[0],
            )

    # ------------------------------------------------------------------
    # Enrolment
    # ------------------------------------------------------------------
    def _atelier_origin(self):
        self.ensure_one()
        return f"sale.order.line,{self.order_line_id.id}"

    def _atelier_pick_path(self, partner):
        """The path the placement test recommended to ``partner`` when the
        package contains it, else the package's first path."""
        self.ensure_one()
        result = (
            self.env["atelier.academy.placement.result"]
            .sudo()
            .search(
                [
                    ("partner_id", "=", partner.id),
                    ("path_id", "in", self.package_id.path_ids.ids),
                ],
                order="create_date desc, id desc",
                limit=1,
            )
        )
        return result.path_id or self.package_id.path_ids[:1]

    def _atelier_enrol_partner(self, partner, notify=True):
        """Enrol ``partner`` on this purchase (idempotent); a new learner
        without an account gets a portal user and an invitation."""
        self.ensure_one()
        if self.state == "refunded":
            raise UserError(self.env._("This purchase was refunded."))
        Enrolment = self.env["atelier.academy.enrolment"].sudo()
        before = Enrolment.search(
            [("origin", "=", self._atelier_origin()), ("partner_id", "=", partner.id)]
        )
        enrolment = Enrolment._atelier_enrol(
            partner,
            self.package_id,
            self._atelier_origin(),
            path=self._atelier_pick_path(partner),
            coach=self.coach_id,
        )
        if before:
            return enrolment
        enrolment.atelier_purchase_id = self
        user, signup_url = self._atelier_ensure_portal_user(partner)
        if notify:
            enrolment._atelier_send_welcome(signup_url=signup_url)
        return enrolment

    @api.model
    def _atelier_ensure_portal_user(self, partner, redirect="/my/academy"):
        """(user, signup url or False): the account the learner logs in with.

        A contact without a user gets a portal user and a sign-up link
        (valid until used) that lands on their training dashboard.
        """
        partner = partner.sudo()
        user = partner.with_context(active_test=False).user_ids[:1]
        if user:
            if user.active and user.login_date:
                return user, False
            # an account never used yet (no password): a sign-up link again
            user.active = True
        else:
            login = email_normalize(partner.email or "")
            if not login:
                return self.env["res.users"], False
            try:
                user = (
                    self.env["res.users"]
                    .sudo()
                    .with_context(no_reset_password=True)
                    ._create_user_from_template(
                        {
                            "login": login,
                            "email": login,
                            "partner_id": partner.id,
                            "company_id": self.env.company.id,
                            "company_ids": [fields.Command.set(self.env.company.ids)],
                        }
                    )
                )
            except SignupError:
                # the e-mail is the login of another account: the desk merges
                _logger.info("No portal user for partner %s: login taken", partner.id)
                return self.env["res.users"], False
        partner.signup_prepare()
        url = partner.with_context(
            signup_force_type_in_url="signup"
        )._get_signup_url_for_action(url=redirect)[partner.id]
        return user, url

    # ------------------------------------------------------------------
    # Team seats
    # ------------------------------------------------------------------
    def _atelier_check_buyer(self):
        """AccessError unless the current user bought this purchase (or
        manages the academy)."""
        self.ensure_one()
        if self.env.su or self.env.user.has_group("atelier_base.group_manager"):
            return
        if self.sudo().partner_id != self.env.user.partner_id:
            raise AccessError(
                self.env._("Only the buyer of this package can invite learners.")
            )

    def _atelier_check_manager(self):
        if self.env.su or self.env.user.has_group("atelier_base.group_manager"):
            self.check_access("write")
            return
        raise AccessError(self.env._("Only an academy manager can do this."))

    def _atelier_invite(self, name, email):
        """The buyer names an employee: contact of the buying company,
        portal user, enrolment and invitation e-mail. Refused with a
        UserError (nothing written) past the seat limit or on bad input."""
        self.ensure_one()
        self._atelier_check_buyer()
        purchase = self.sudo()
        name = (name or "").strip()[:128]
        email = email_normalize((email or "").strip()[:254])
        if purchase.kind != "team":
            raise UserError(self.env._("This package is not a team package."))
        if purchase.state != "active":
            raise UserError(self.env._("This purchase is not active any more."))
        if not name:
            raise ValidationError(self.env._("Please give the learner's name."))
        if not email:
            raise ValidationError(
                self.env._("Please give a valid e-mail address for the learner.")
            )
        partner = purchase._atelier_find_learner(email)
        if partner and partner in purchase.enrolment_ids.partner_id:
            raise UserError(
                self.env._("%(email)s is already invited.", email=email),
            )
        if purchase.seats_left <= 0:
            raise UserError(
                self.env._(
                    "All %(limit)s seats of this package are taken: no more "
                    "learners can be invited.",
                    limit=purchase.seat_limit,
                )
            )
        if not partner:
            partner = (
                self.env["res.partner"]
                .sudo()
                .create(
                    {
                        "name": name,
                        "email": email,
                        "parent_id": purchase.commercial_partner_id.id,
                        "type": "contact",
                        "lang": purchase.partner_id.lang,
                    }
                )
            )
        enrolment = purchase._atelier_enrol_partner(partner)
        purchase.message_post(
            body=self.env._(
                "%(name)s (%(email)s) invited by %(buyer)s.",
                name=partner.name,
                email=email,
                buyer=self.env.user.name,
            )
        )
        return enrolment

    def _atelier_find_learner(self, email):
        """The contact an invitation goes to: the account with this login or
        e-mail, else a contact of the buying company with this e-mail."""
        self.ensure_one()
        Users = self.env["res.users"].sudo()
        user = Users.with_context(active_test=False).search(
            [("login", "=", email)], limit=1
        ) or Users.search([("partner_id.email_normalized", "=", email)], limit=1)
        if user:
            return user.partner_id
        return (
            self.env["res.partner"]
            .sudo()
            .search(
                [
                    ("email_normalized", "=", email),
                    ("commercial_partner_id", "=", self.commercial_partner_id.id),
                ],
                limit=1,
            )
        )

    # ------------------------------------------------------------------
    # Refunds
    # ------------------------------------------------------------------
    def _atelier_open_refunds(self):
        """Draft credit notes of the line and refund transactions of the
        order that have not gone through yet (they block certificates)."""
        self.ensure_one()
        open_notes = (
            self.env["account.move.line"]
            .sudo()
            .search_count(
                [
                    ("sale_line_ids", "in", self.order_line_id.ids),
                    ("move_id.move_type", "=", "out_refund"),
                    ("move_id.state", "=", "draft"),
                ],
                limit=1,
            )
        )
        open_txs = (
            self.order_id.sudo()
            .transaction_ids.child_transaction_ids.filtered(
                lambda tx: tx.operation == "refund" and tx.state in OPEN_TX_STATES
            )
            .exists()
        )
        return bool(open_notes or open_txs)

    @api.model
    def _atelier_check_refunded_orders(self, orders):
        """Revoke the purchases of ``orders`` once the refund transactions
        that went through cover what the packages cost. A smaller refund (a
        commercial gesture) revokes nothing."""
        purchases = self.sudo().search(
            [("order_id", "in", orders.ids), ("state", "!=", "refunded")]
        )
        for order in purchases.order_id:
            order_purchases = purchases.filtered(lambda p, o=order: p.order_id == o)
            refunded = -sum(
                order.sudo()
                .transaction_ids.child_transaction_ids.filtered(
                    lambda tx: tx.operation == "refund" and tx.state == "done"
                )
                .mapped("amount")
            )
            due = sum(order_purchases.mapped("amount"))
            if float_compare(refunded, due, precision_rounding=0.01) >= 0:
                order_purchases._atelier_revoke(
                    self.env._(
                        "payment refunded (%(amount)s %(currency)s)",
                        amount=refunded,
                        currency=order.currency_id.name,
                    )
                )

    @api.model
    def _atelier_check_credit_notes(self, moves):
        """Revoke the purchases whose line is credited in full by posted
        credit notes."""
        lines = moves.sudo().invoice_line_ids.sale_line_ids
        purchases = self.sudo().search(
            [("order_line_id", "in", lines.ids), ("state", "!=", "refunded")]
        )
        for purchase in purchases:
            credited = sum(
                self.env["account.move.line"]
                .sudo()
                .search(
                    [
                        ("sale_line_ids", "in", purchase.order_line_id.ids),
                        ("move_id.move_type", "=", "out_refund"),
                        ("move_id.state", "=", "posted"),
                    ]
                )
                .mapped("price_total")
            )
            if (
                float_compare(credited, purchase.amount, precision_rounding=0.01) >= 0
                or not purchase.amount
            ):
                purchase._atelier_revoke(
                    self.env._(
                        "credit note %(notes)s",
                        notes=", ".join(
                            moves.filtered(
                                lambda m, p=purchase: (
                                    m.invoice_line_ids.sale_line_ids & p.order_line_id
                                )
                            ).mapped("name")
                        ),
                    )
                )

    def _atelier_revoke(self, reason):
        """Refunded: every enrolment of the purchase loses its access and its
        certificates (``atelier.academy.enrolment._atelier_revoke``)."""
        for purchase in self.sudo().filtered(lambda p: p.state != "refunded"):
            text = self.env._("Refund: %(reason)s", reason=reason)
            purchase.write({"state": "refunded", "refund_reason": text})
            purchase.enrolment_ids._atelier_revoke(text)
            purchase.message_post(body=text)
