// The exit modals and the overdue reminder as pure builders: what they show, prefilled values, and
// Slack's limits with long user text and many tasks.
import { describe, expect, it } from "vitest";
import type { ExitTaskForm } from "../../src/services/exit/exit-forms.ts";
import type { OverdueTask } from "../../src/services/exit/send-task-reminders.ts";
import { ids } from "../../src/slack/ids.ts";
import {
  buildExitStartModal,
  exitStartValue,
  ZExitStartValue,
} from "../../src/slack/views/exit-start-modal.ts";
import { buildExitNotNeededModal, buildExitTaskEditModal } from "../../src/slack/views/exit-task-modals.ts";
import { buildExitTaskReminder } from "../../src/slack/views/exit-task-reminder.ts";
import { blockViolations, viewViolations } from "../support/block-kit-rules.ts";
import { textOf } from "../support/blocks.ts";

const ACCOUNT = "00000000-0000-4000-8000-000000000001";
const WARNING = "00000000-0000-4000-8000-000000000002";

describe("exit start modal", () => {
  it("groups the reasons by control and says every field may wait", () => {
    const view = buildExitStartModal({
      accountName: "ACME <Corp>",
      target: { accountId: ACCOUNT, warningId: WARNING },
      aiClassifies: false,
    });
    expect(view.callback_id).toBe(ids.view.exitStart);
    expect(JSON.parse(view.private_metadata ?? "")).toEqual({ accountId: ACCOUNT, warningId: WARNING });
    const json = JSON.stringify(view);
    expect(json).toContain('"option_groups":[{"label":{"type":"plain_text","text":"Within our control"}');
    expect(json).toContain("Beyond our control");
    expect(json).toContain("ACME &lt;Corp&gt;");
    expect(json).toContain("with Edit case");
    expect(json).not.toContain("classified by AI");
    expect(viewViolations(view)).toEqual([]);
  });

  it("opens prefilled for Edit case, cutting stored text to the input's limit", () => {
    const view = buildExitStartModal({
      accountName: "x".repeat(400),
      target: { caseId: ACCOUNT },
      prefill: {
        reason: "channel_conflict",
        surfaceReason: "s".repeat(5000),
        deepReason: "d",
        competitorWon: "c".repeat(500),
        expectedEndOn: "2027-03-31",
      },
      aiClassifies: true,
    });
    expect(view.title.text).toBe("Edit exit case");
    const json = JSON.stringify(view);
    expect(json).toContain(
      '"initial_option":{"text":{"type":"plain_text","text":"Channel conflict"},"value":"channel_conflict"}',
    );
    expect(json).toContain('"initial_date":"2027-03-31"');
    expect(json).toContain("classified by AI");
    expect(viewViolations(view)).toEqual([]);
  });

  it("carries the account and the warning in the button's value", () => {
    expect(ZExitStartValue.parse(JSON.parse(exitStartValue(ACCOUNT, WARNING)))).toEqual({
      accountId: ACCOUNT,
      warningId: WARNING,
    });
    expect(ZExitStartValue.parse(JSON.parse(exitStartValue(ACCOUNT)))).toEqual({ accountId: ACCOUNT });
  });
});

describe("exit task modals", () => {
  const form: ExitTaskForm = {
    caseId: ACCOUNT,
    caseStatus: "open",
    accountName: "Delta",
    task: {
      id: WARNING,
      number: 2,
      ownerSlackId: "U0PR",
      dueOn: "2026-11-26",
      status: "doing",
      notNeededReason: null,
      notes: "n".repeat(3000),
    },
  };

  it("asks why a task is not needed, with the task shown", () => {
    const view = buildExitNotNeededModal(form);
    expect(view.callback_id).toBe(ids.view.exitNotNeeded);
    expect(textOf(view.blocks as never)).toContain("*2. Contain bad news* · Delta · Doing");
    expect(viewViolations(view)).toEqual([]);
  });

  it("edits owner, due day and notes, prefilled", () => {
    const view = buildExitTaskEditModal(form);
    const json = JSON.stringify(view);
    expect(json).toContain('"initial_user":"U0PR"');
    expect(json).toContain('"initial_date":"2026-11-26"');
    expect(json).toContain("This task may go to PR or a manager.");
    expect(viewViolations(view)).toEqual([]);
    const task1 = buildExitTaskEditModal({ ...form, task: { ...form.task, number: 1 } });
    expect(JSON.stringify(task1)).not.toContain("may go to PR");
  });
});

describe("overdue reminder", () => {
  const task = (n: number, overrides: Partial<OverdueTask> = {}): OverdueTask => ({
    taskId: `t${n}`,
    number: 3,
    title: "Reassure other customers",
    accountName: `Account ${n} <x>`,
    dueOn: "2026-11-20",
    daysOverdue: n,
    link: { permalink: `https://example.slack.com/archives/C1/p${n}`, channelId: "C1" },
    ...overrides,
  });

  it("lists the most overdue first, with how late and a link; says where a link is missing", () => {
    const message = buildExitTaskReminder([
      task(1),
      task(5),
      task(2, { link: { permalink: null, channelId: "C9" } }),
      task(3, { link: null }),
    ]);
    const text = textOf(message.blocks as never);
    expect(text).toContain("4 exit tasks of yours are overdue.");
    const order = [5, 3, 2, 1].map((n) => text.indexOf(`Account ${n} &lt;x&gt;`));
    expect(order).toEqual([...order].sort((a, b) => a - b));
    expect(text).toContain("5 days overdue · <https://example.slack.com/archives/C1/p5|open the case>");
    expect(text).toContain("case in <#C9>");
    expect(text).toContain("the case's message was not posted");
    expect(message.text).toBe(
      "4 exit tasks of yours are overdue. Account 5 &lt;x&gt;: 3. Reassure other customers …",
    );
  });

  it("stays within one section's limit with hundreds of tasks", () => {
    const message = buildExitTaskReminder(Array.from({ length: 300 }, (_, i) => task(i + 1)));
    expect(blockViolations(message.blocks)).toEqual([]);
    expect(textOf(message.blocks as never)).toMatch(/…and \d+ more\./);
  });
});
