import { Component, markup, onWillStart, toRaw, useState } from "@odoo/owl";
import { registerComposerAction } from "@mail/core/common/composer_actions";
import { DropdownItem } from "@web/core/dropdown/dropdown_item";
import { _t } from "@web/core/l10n/translation";
import { useService } from "@web/core/utils/hooks";

/**
 * The reply templates of a ticket, listed under "Templates" next to its reply
 * box: one click renders the chosen one on the server, as the current user
 * (who signs it), and puts it in the reply.
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
        const rendered = await this.env.services.orm.call(
            "helpdesk.ticket",
            "atelier_reply_template_render",
            [[this.props.ticketId], template.id]
        );
        const composer = this.props.composer;
        if (this.props.html) {
            composer.composerHtml = markup(rendered.body_html);
        } else {
            const typed = composer.composerText.trim();
            composer.composerText = typed
                ? `${typed}\n\n${rendered.body_text}`
                : rendered.body_text;
        }
        // the template is signed: no second signature under it
        toRaw(composer).emailAddSignature = false;
        composer.autofocus++;
    }
}

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
