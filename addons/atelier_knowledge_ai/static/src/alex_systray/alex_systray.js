import { Component, useState } from "@odoo/owl";
import { registry } from "@web/core/registry";
import { user } from "@web/core/user";
import { AlexChat } from "../alex_chat/alex_chat";

/** Alex in the back office: a systray button opening the chat in a panel. */
export class AlexSystray extends Component {
    static template = "atelier_knowledge_ai.AlexSystray";
    static components = { AlexChat };
    static props = {};

    setup() {
        this.state = useState({ open: false });
        this.userName = user.name;
    }

    toggle() {
        this.state.open = !this.state.open;
    }
}

registry
    .category("systray")
    .add("atelier_knowledge_ai.alex", { Component: AlexSystray }, { sequence: 40 });
