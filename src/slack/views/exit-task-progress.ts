// What tasks 2–4 have recorded, under each task on the case message: outreach logged, task 3's
// company-level communication, task 4's loss totals.
import { lossTotals } from "../../domain/exit.ts";
import { formatMoney } from "../../domain/money.ts";
import type { ExitCaseDetails, ExitTaskDetails } from "../../services/exit/get-exit-case.ts";
import { escapeMrkdwn, oneLine, plural } from "./mrkdwn.ts";

export function exitTaskProgress(exitCase: ExitCaseDetails, task: ExitTaskDetails): string[] {
  const lines: string[] = [];
  if (task.number === 2 || task.number === 3) {
    const outreach = exitCase.outreach.filter((entry) => entry.taskNumber === task.number);
    const customers = new Set(outreach.map((entry) => entry.accountId)).size;
    if (outreach.length > 0)
      lines.push(
        `Outreach logged: ${plural(outreach.length, "contact")} with ${plural(customers, "customer")}`,
      );
  }
  if (task.number === 3 && exitCase.companyCommunication)
    lines.push(`Company-level communication: ${oneLine(escapeMrkdwn(exitCase.companyCommunication), 500)}`);
  if (task.number === 4) {
    const totals = lossTotals(exitCase.losses);
    if (totals.recorded) {
      const money = (amount: bigint) => formatMoney(amount, exitCase.currency);
      lines.push(
        `Unrecovered receivables ${money(totals.unrecoveredReceivables)} · compensation agreed ${money(totals.compensationAgreed)} · goods returned ${money(totals.goodsReturned)} · market-gap loss ${money(totals.marketGapLoss)}`,
        `*Net loss ${money(totals.netLoss)}*`,
      );
    }
  }
  return lines;
}
