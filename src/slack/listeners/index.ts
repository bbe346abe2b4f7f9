// Registers every listener on the app.
import type { App } from "@slack/bolt";
import type { ServiceDeps } from "../../services/deps.ts";
import { register as registerAccountCardActions } from "./actions/account-card.ts";
import { register as registerCustomerCommand } from "./commands/customer.ts";

export function registerListeners(app: App, deps: ServiceDeps): void {
  registerCustomerCommand(app, deps);
  registerAccountCardActions(app, deps);
}
