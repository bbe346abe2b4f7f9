// Registers every listener on the app.
import type { App } from "@slack/bolt";
import type { ServiceDeps } from "../../services/deps.ts";
import { register as registerAccountCardActions } from "./actions/account-card.ts";
import { register as registerChurnWarningActions } from "./actions/churn-warning.ts";
import { register as registerComplaintActions } from "./actions/complaint.ts";
import { register as registerCorrectiveActionDone } from "./actions/corrective-action.ts";
import { register as registerExitOpenRetro } from "./actions/exit-open-retro.ts";
import { register as registerFollowUpActions } from "./actions/follow-up.ts";
import { register as registerHomeActions } from "./actions/home.ts";
import { register as registerRecordButtons } from "./actions/record-buttons.ts";
import { register as registerRetroSummarize } from "./actions/retro-summarize.ts";
import { register as registerCustomerCommand } from "./commands/customer.ts";
import { register as registerAppHomeOpened } from "./events/app-home-opened.ts";
import { register as registerLogToCustomer } from "./shortcuts/log-to-customer.ts";
import { register as registerComplaintSubmitted } from "./views/complaint-submitted.ts";
import { register as registerInteractionSubmitted } from "./views/interaction-submitted.ts";
import { register as registerRetroSummarySubmitted } from "./views/retro-summary-submitted.ts";
import { register as registerSignSubmitted } from "./views/sign-submitted.ts";

export function registerListeners(app: App, deps: ServiceDeps): void {
  registerCustomerCommand(app, deps);
  registerAccountCardActions(app, deps);
  registerRecordButtons(app, deps);
  registerInteractionSubmitted(app, deps);
  registerFollowUpActions(app, deps);
  registerComplaintSubmitted(app, deps);
  registerComplaintActions(app, deps);
  registerSignSubmitted(app, deps);
  registerLogToCustomer(app, deps);
  registerAppHomeOpened(app, deps);
  registerHomeActions(app, deps);
  registerChurnWarningActions(app, deps);
  registerExitOpenRetro(app, deps);
  registerRetroSummarize(app, deps);
  registerRetroSummarySubmitted(app, deps);
  registerCorrectiveActionDone(app, deps);
}
