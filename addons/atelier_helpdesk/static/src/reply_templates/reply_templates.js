import { Component, markup, onWillStart, onWillUpdateProps, toRaw, useState } from "@odoo/owl";
import { registerComposerAction } from "@mail/core/common/composer_actions";
import { Composer } from "@mail/core/common/composer";
import { DropdownItem } from "@web/core/dropdown/dropdown_item";
import { _t } from "@web/core/l10n/translation";
import { patch } from "@web/core/utils/patch";
import { useService } from "@web/core/utils/hooks";

/**
 * Render reply template ``templateId`` for the ticket on the server, as the
 * current user (who signs it), and put it in the reply box of ``composer``.
 * Shared by the "Templates" menu and the suggested chips.
 */
export async function insertReplyTemplate(orm, composer, ticketId, templateId, html) {
    const rendered = await orm.call("helpdesk.ticket", "atelier_reply_template_render", [
        [ticketId],
        templateId,
    ]);
    if (html) {
        composer.composerHtml = markup(rendered.body_html);
    } else {
        const typed = composer.composerText.trim();
        composer.composerText = typed ? `${typed}\n\n${rendered.body_text}` : rendered.body_text;
    }
    // the template is signed: no second signature under it
    toRaw(composer).emailAddSignature = false;
    composer.autofocus++;
}

/**
 * The reply templates of a ticket, listed under "Templates" next to its reply
 * box: one click renders the chosen one and puts it in the reply.
 */
export class ReplyTemplateList extends Component {
    static template = "atelier_helpdesk.ReplyTemplateList";
    static components = { DropdownItem };
    static props = { composer: Object, ticketId: Number, html: Boolean };

    setup() {
        this.orm = useService("orm");
        this.state = useState({ templates: [], loaded: false });
        onWillStart(async () => {
            this.state.templates = await this.orm.call(
                "helpdesk.ticket",
                "atelier_reply_template_list",
                [[this.props.ticketId]]
            );
            this.state.loaded = true;
        });
    }

    async insert(template) {
        // the menu closes on selection: the component's own ORM would drop
        // the answer, the service's does not
        await insertReplyTemplate(
            this.env.services.orm,
            this.props.composer,
            this.props.ticketId,
            template.id,
            this.props.html
        );
    }
}

/**
 * The few reply templates that fit the ticket (its stage), as chips above
 * its reply box: "Send message", a chip, "Send".
 */
export class ReplyTemplateChips extends Component {
    static template = "atelier_helpdesk.ReplyTemplateChips";
    static props = { composer: Object, ticketId: Number, html: Boolean };

    setup() {
        this.orm = useService("orm");
        this.state = useState({ templates: [], busy: false });
        onWillStart(() => this.load(this.props.ticketId));
        // the form moved to another ticket
        onWillUpdateProps((next) => {
            if (next.ticketId !== this.props.ticketId) {
                return this.load(next.ticketId);
            }
        });
    }

    /** "Ticket : informations manquantes" -> "Informations manquantes" */
    label(template) {
        const name = template.name.replace(/^[^:]{1,30}\s:\s+/, "");
        return name.charAt(0).toUpperCase() + name.slice(1);
    }

    async load(ticketId) {
        const templates = await this.orm.silent.call(
            "helpdesk.ticket",
            "atelier_reply_template_list",
            [[ticketId]]
        );
        this.state.templates = templates.filter((template) => template.suggested);
    }

    async insert(template) {
        if (this.state.busy) {
            return;
        }
        this.state.busy = true;
        try {
            await insertReplyTemplate(
                this.orm,
                this.props.composer,
                this.props.ticketId,
                template.id,
                this.props.html
            );
        } finally {
            this.state.busy = false;
        }
    }
}

patch(Composer, {
    components: { ...Composer.components, ReplyTemplateChips },
});

patch(Composer.prototype, {
    /** The ticket whose reply box this is (not a note, not an edit). */
    get atelierReplyTicketId() {
        const thread = this.props.composer.targetThread;
        return thread?.model === "helpdesk.ticket" &&
            thread.id &&
            this.props.type === "message" &&
            !this.props.composer.message
            ? thread.id
            : false;
    },
});

registerComposerAction("atelier-reply-templates", {
    condition: ({ composer, owner }) =>
        composer.targetThread?.model === "helpdesk.ticket" &&
        Boolean(composer.targetThread.id) &&
        owner.props.type === "message" &&
        !composer.message,
    dropdown: true,
    dropdownComponent: ReplyTemplateList,
    dropdownComponentProps: ({ composer, owner }) => ({
        composer,
        ticketId: composer.targetThread.id,
        html: Boolean(owner.composerService?.htmlEnabled),
    }),
    dropdownMenuClass: "o_atelier_reply_templates_menu",
    dropdownPosition: "bottom-end",
    icon: "fa fa-file-text-o",
    inlineName: _t("Templates"),
    name: _t("Insert a reply template"),
    sequence: 10,
});
