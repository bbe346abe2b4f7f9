// The complaint's message: what it is, where it stands, its history, and the buttons for the next steps.
import type { types } from "@slack/bolt";
import { z } from "zod";
import {
  actionsFrom,
  type ComplaintAction,
  type ComplaintDetails,
  type ComplaintPlacement,
  type ComplaintStep,
  categoryLabel,
  complaintActions,
  severityLabel,
  statusLabel,
} from "../../domain/complaints.ts";
import { ids } from "../ids.ts";
import type { SlackMessage } from "./account-card.ts";
import { channelMention, escapeMrkdwn, truncate, userMention } from "./mrkdwn.ts";

type KnownBlock = types.KnownBlock;

/** What a lifecycle button carries. */
export const ZComplaintButtonValue = z.object({
  complaintId: z.uuid(),
  action: z.enum(complaintActions),
});
export type ComplaintButtonValue = z.infer<typeof ZComplaintButtonValue>;

/** Lifecycle buttons: the shared action id plus the action, so ids stay unique within the block. */
export function complaintActionId(action: ComplaintAction): string {
  return `${ids.action.complaintTransition}:${action}`;
}
export const complaintActionPattern = new RegExp(`^${ids.action.complaintTransition}(:[a-z]+)?$`);

const buttonLabel: Record<ComplaintAction, string> = {
  investigate: "Investigate",
  fix: "Start fixing",
  resolve: "Resolve…",
  confirm: "Customer confirmed",
  reopen: "Reopen",
};

const MAX_STEPS = 12;
const DESCRIPTION_SHOWN = 2500;
const NOTE_SHOWN = 300;
const MS_PER_DAY = 86_400_000;

function days(count: number): string {
  return `${count} day${count === 1 ? "" : "s"}`;
}

/** A time each reader sees in their own zone; the fallback (old clients, notifications) is UTC. */
export function slackDate(at: Date): string {
  const fallback = `${at.toISOString().slice(0, 16).replace("T", " ")} UTC`;
  return `<!date^${Math.floor(at.getTime() / 1000)}^{date_short_pretty} {time}|${fallback}>`;
}

/** A link target that cannot break out of `<url|text>`; anything but http(s) is dropped. */
export function safeLinkUrl(url: string): string | null {
  if (!/^https?:\/\//i.test(url)) return null;
  return url.replaceAll("|", "%7C").replaceAll("<", "%3C").replaceAll(">", "%3E").replaceAll(" ", "%20");
}

function stepText(step: ComplaintStep): string {
  const what =
    step.fromStatus === null
      ? "recorded the complaint"
      : {
          open: "set it open",
          investigating: "started investigating",
          fixing: "started fixing",
          resolved: "resolved it",
          confirmed: "closed it: the customer confirmed the fix",
          reopened: "reopened it",
        }[step.toStatus];
  const note = step.note ? `: “${escapeMrkdwn(truncate(step.note.replace(/\s+/g, " "), NOTE_SHOWN))}”` : "";
  return `• ${slackDate(step.at)}  ${userMention(step.actorSlackId)} ${what}${note}`;
}

function historyText(steps: readonly ComplaintStep[]): string {
  const shown = steps.slice(-MAX_STEPS).map(stepText);
  const earlier = steps.length - MAX_STEPS;
  if (earlier > 0) shown.unshift(`…${earlier} earlier step${earlier === 1 ? "" : "s"}`);
  return truncate(`*History*\n${shown.join("\n")}`, 3000);
}

/** Age against the response target while it is worked on; when it was resolved or closed after that. */
function clockText(details: ComplaintDetails): string {
  const { age, severity, status } = details;
  const target = `target ${days(age.targetDays)} (${severityLabel[severity].toLowerCase()})`;
  if (details.resolvedAt) {
    const took = Math.max(
      0,
      Math.floor((details.resolvedAt.getTime() - details.since.getTime()) / MS_PER_DAY),
    );
    const verb = status === "confirmed" ? "Resolved, then confirmed by the customer;" : "Resolved";
    return `${verb} ${slackDate(details.resolvedAt)}, after ${days(took)}  ·  ${target}`;
  }
  const raised = details.since.getTime() === details.createdAt.getTime() ? "Raised" : "Reopened";
  const parts = [
    `${raised} ${slackDate(details.since)}`,
    `${days(age.ageDays)} old`,
    target,
    `due ${slackDate(details.dueAt)}`,
  ];
  if (age.overdueDays > 0) parts.push(`:warning: *${days(age.overdueDays)} overdue*`);
  return parts.join("  ·  ");
}

function placementText(details: ComplaintDetails, placement: ComplaintPlacement): string | null {
  if (placement.kind === "channel") return null;
  if (placement.reason === "no_channel") {
    return (
      `Sent here directly: ${escapeMrkdwn(truncate(details.account.name, 150))} has no channel in Churnwatch. ` +
      "Set the account's `channel_id` (accounts import) to post its complaints there."
    );
  }
  return (
    `Sent here directly: Churnwatch could not post in ${channelMention(placement.channelId)}. ` +
    "Invite it there (`/invite @Churnwatch`) so the account's next complaints are posted in the channel."
  );
}

function button(details: ComplaintDetails, action: ComplaintAction): types.Button {
  const value: ComplaintButtonValue = { complaintId: details.id, action };
  return {
    type: "button",
    action_id: complaintActionId(action),
    text: { type: "plain_text", text: buttonLabel[action] },
    value: JSON.stringify(value),
    ...(action === "resolve" || action === "confirm" ? { style: "primary" as const } : {}),
    ...(action === "confirm"
      ? {
          confirm: {
            title: { type: "plain_text" as const, text: "Customer confirmed the fix?" },
            text: {
              type: "plain_text" as const,
              text: "Only once the fix was reported back to the customer and they confirmed it. This closes the complaint.",
            },
            confirm: { type: "plain_text" as const, text: "Yes, close it" },
            deny: { type: "plain_text" as const, text: "Not yet" },
          },
        }
      : {}),
  };
}

export function buildComplaintMessage(
  details: ComplaintDetails,
  placement: ComplaintPlacement,
): SlackMessage {
  const name = truncate(details.account.name, 120);
  const blocks: KnownBlock[] = [
    { type: "header", text: { type: "plain_text", text: `Complaint · ${name}`, emoji: false } },
    {
      type: "section",
      fields: [
        { type: "mrkdwn", text: `*Category*\n${categoryLabel[details.category]}` },
        { type: "mrkdwn", text: `*Severity*\n${severityLabel[details.severity]}` },
        { type: "mrkdwn", text: `*Status*\n${statusLabel[details.status]}` },
        { type: "mrkdwn", text: `*Owner*\n${userMention(details.ownerSlackId)}` },
        {
          type: "mrkdwn",
          text: `*Reported by*\n${details.reportedBy ? escapeMrkdwn(truncate(details.reportedBy.name, 100)) : "–"}`,
        },
        { type: "mrkdwn", text: `*Recorded by*\n${userMention(details.createdBy)}` },
      ],
    },
    {
      type: "section",
      text: {
        type: "mrkdwn",
        text: `*What the customer said*\n${escapeMrkdwn(truncate(details.description, DESCRIPTION_SHOWN))}`,
      },
    },
  ];
  if (details.resolution) {
    blocks.push({
      type: "section",
      text: {
        type: "mrkdwn",
        text: `*What was done*\n${escapeMrkdwn(truncate(details.resolution, DESCRIPTION_SHOWN))}`,
      },
    });
  }
  const context = [clockText(details)];
  const source = details.sourcePermalink ? safeLinkUrl(details.sourcePermalink) : null;
  if (source) context.push(`<${source}|Source message>`);
  blocks.push({ type: "context", elements: [{ type: "mrkdwn", text: context.join("  ·  ") }] });
  const note = placementText(details, placement);
  if (note) blocks.push({ type: "context", elements: [{ type: "mrkdwn", text: note }] });
  blocks.push({ type: "section", text: { type: "mrkdwn", text: historyText(details.steps) } });
  blocks.push({
    type: "actions",
    block_id: "complaint_lifecycle",
    elements: actionsFrom(details.status).map((action) => button(details, action)),
  });
  const overdue = details.age.overdueDays > 0 ? `, ${days(details.age.overdueDays)} overdue` : "";
  return {
    text: truncate(
      `Complaint from ${escapeMrkdwn(details.account.name)}: ${categoryLabel[details.category]}, ` +
        `${severityLabel[details.severity].toLowerCase()} severity. ${statusLabel[details.status]}${overdue}.`,
      3000,
    ),
    blocks,
  };
}

/** Why a complaint's message did not reach the account's channel, for the person who recorded it. */
export type PostFailureNotice = {
  accountName: string;
  /** The account's channel, when it has one. */
  channelId: string | null;
  /** Slack's error code, or null when Slack could not be reached. */
  error: string | null;
  /** Slack user who got the complaint directly instead; null when it could not be posted anywhere. */
  sentTo: string | null;
};

const channelProblems: Record<string, { why: string; fix: string }> = {
  not_in_channel: {
    why: "Churnwatch is not a member of that channel",
    fix: "Invite it there with `/invite @Churnwatch`; the account's next complaints will be posted in the channel.",
  },
  channel_not_found: {
    why: "the channel does not exist, or it is private and Churnwatch is not in it",
    fix: "Invite Churnwatch there (`/invite @Churnwatch`), or correct the account's `channel_id` (accounts import).",
  },
  is_archived: {
    why: "the channel is archived",
    fix: "Set a current channel as the account's `channel_id` (accounts import).",
  },
};

export function buildPostFailureNotice(notice: PostFailureNotice): SlackMessage {
  const name = escapeMrkdwn(truncate(notice.accountName, 150));
  const where = notice.channelId ? `in ${channelMention(notice.channelId)}` : "anywhere";
  const problem = notice.error ? channelProblems[notice.error] : undefined;
  const why =
    problem?.why ?? (notice.error ? `Slack answered \`${notice.error}\`` : "Slack could not be reached");
  const fix = problem?.fix ?? "If it keeps happening, ask whoever runs Churnwatch to check its log.";
  const instead = notice.sentTo
    ? `It was sent to ${userMention(notice.sentTo)} directly instead, with its buttons.`
    : "It is saved without a message, so it has no buttons yet.";
  const text = `Your complaint about *${name}* is saved, but I could not post it ${where}: ${why}. ${fix} ${instead}`;
  return { text, blocks: [{ type: "section", text: { type: "mrkdwn", text: truncate(text, 3000) } }] };
}

/** What the complaint services render with (they take the builders, so they never import Block Kit). */
export const complaintRenderers = { message: buildComplaintMessage, postFailure: buildPostFailureNotice };
