// `/customer handover @from @to [account, …]` and `/customer rep-leaving @rep` (managers): hand accounts
// over with a brief to the new owner, or record that a rep is leaving and alert the managers.
import type { webApi } from "@slack/bolt";
import { AppError } from "../../../errors.ts";
import type { ServiceDeps } from "../../../services/deps.ts";
import { handOverAccounts } from "../../../services/ownership/hand-over-accounts.ts";
import { recordRepDeparture } from "../../../services/ownership/record-rep-departure.ts";
import { slackPerson } from "../../../services/ownership/slack-users.ts";
import type { SlackMessage } from "../../views/account-card.ts";
import { buildHandoverSummary } from "../../views/handover.ts";
import { buildRepLeavingAnswer } from "../../views/rep-departure.ts";
import { takeUsers } from "./command-text.ts";

export type OwnershipCommand = { kind: "handover"; args: string } | { kind: "rep-leaving"; args: string };

/** "handover …" / "rep-leaving …" (escaped text as Slack sends it), or null for any other subcommand. */
export function parseOwnershipCommand(rawText: string): OwnershipCommand | null {
  const match = /^(handover|rep-leaving)(?:\s+([\s\S]*))?$/i.exec(rawText.trim());
  if (!match) return null;
  const kind = (match[1] ?? "").toLowerCase() as OwnershipCommand["kind"];
  return { kind, args: (match[2] ?? "").trim() };
}

function usage(command: string, kind: OwnershipCommand["kind"]): string {
  return kind === "handover"
    ? `Usage: \`${command} handover @from @to\` hands all of @from's accounts to @to; \`${command} handover @from @to Acme, Northwind\` only those (names separated by commas).`
    : `Usage: \`${command} rep-leaving @rep\` records that the rep is leaving and alerts the managers with their accounts.`;
}

function badUser(
  command: string,
  kind: OwnershipCommand["kind"],
  word: string | null,
  position: number,
): AppError {
  const which =
    kind === "rep-leaving" ? "the rep" : position === 0 ? "who hands over (@from)" : "who takes over (@to)";
  const problem =
    word === null
      ? `Name ${which}.`
      : `"${word}" is not a Slack user: mention ${which} with @ (or give their user ID, U…).`;
  return new AppError("bad_request", `${problem}\n${usage(command, kind)}`);
}

export async function answerOwnership(
  deps: ServiceDeps,
  slack: Pick<webApi.WebClient, "users" | "chat">,
  input: { command: string; userId: string; parsed: OwnershipCommand },
): Promise<SlackMessage> {
  const { command, userId, parsed } = input;
  if (parsed.kind === "handover") {
    const users = takeUsers(parsed.args, 2);
    if (!users.ok) throw badUser(command, "handover", users.word, users.position);
    const [fromId = "", toId = ""] = users.userIds;
    const accountQueries = users.rest
      .split(",")
      .map((name) => name.trim())
      .filter((name) => name !== "");
    const result = await handOverAccounts(
      { ...deps, slack },
      { managerId: userId, fromId, toId, accountQueries },
    );
    return buildHandoverSummary(result);
  }
  const users = takeUsers(parsed.args, 1);
  if (!users.ok) throw badUser(command, "rep-leaving", users.word, users.position);
  if (users.rest !== "")
    throw new AppError("bad_request", `Name one rep only.\n${usage(command, "rep-leaving")}`);
  const [repId = ""] = users.userIds;
  if (!(await deps.roles.isManager(userId)))
    throw new AppError("bad_request", "Only managers can record that a rep is leaving. Ask a manager.");
  const rep = await slackPerson(slack, repId);
  if (rep.isBot) throw new AppError("bad_request", `<@${repId}> is a bot, not a rep.`);
  const result = await recordRepDeparture(
    { ...deps, slack },
    { repId, source: "recorded", recordedBy: userId },
  );
  return buildRepLeavingAnswer({ repId, ...result });
}
