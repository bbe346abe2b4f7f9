// How cadence status and key dates read, shared by the account card, the Home tab and owner reminders.
import type { types } from "@slack/bolt";
import type { CadenceStatus, CustomerFace, KeyCareStanding, LastInteraction } from "../../domain/cadence.ts";
import { interactionKindLabel } from "../../domain/interactions.ts";
import type { KeyDate } from "../../domain/key-dates.ts";
import { escapeMrkdwn, linesWithin, oneLine, plural, truncate } from "./mrkdwn.ts";

type KnownBlock = types.KnownBlock;

const faceLabel: Record<CustomerFace, string> = { red: "red face", white: "white face", black: "black face" };

export function faceText(face: CustomerFace | null): string {
  return face ? faceLabel[face] : "";
}

function whenAhead(days: number, on: string): string {
  if (days === 0) return `today (${on})`;
  if (days === 1) return `tomorrow (${on})`;
  return `in ${days} days (${on})`;
}

/** "Last contact 36 days ago · every 30 days · :warning: overdue by 6 days" */
export function cadenceText(status: CadenceStatus): string {
  const last =
    status.lastContactOn === null
      ? `No contact logged (counting from ${status.since})`
      : status.daysSince === 0
        ? "Last contact today"
        : `Last contact ${plural(status.daysSince, "day")} ago`;
  const standing =
    status.overdueDays > 0
      ? `:warning: overdue by ${plural(status.overdueDays, "day")}`
      : status.dueInDays === 0
        ? "due today"
        : `due in ${plural(status.dueInDays, "day")}`;
  return `${last} · every ${plural(status.limitDays, "day")} · ${standing}`;
}

/** "Paula Schmidt's birthday tomorrow (2026-11-24)", "10 years since their founding in 3 days (…)" */
export function keyDateText(date: KeyDate): string {
  const when = whenAhead(date.daysAhead, date.occasionOn);
  switch (date.kind) {
    case "birthday":
      return `:birthday: ${escapeMrkdwn(oneLine(date.name ?? "A contact", 100))}'s birthday ${when}`;
    case "founding_anniversary":
      return `:tada: ${plural(date.years ?? 0, "year")} since their founding ${when}`;
    case "first_order_anniversary":
      return `:handshake: ${plural(date.years ?? 0, "year")} since their first order ${when}`;
    case "holiday":
      return `:calendar: ${escapeMrkdwn(oneLine(date.name ?? "Holiday", 80))} ${when}`;
  }
}

/** "2026-10-18 · Visit — Discussed Q1 volumes" */
export function lastInteractionText(last: LastInteraction): string {
  const summary = oneLine(last.summary, 200);
  return `${last.occurredOn} · ${interactionKindLabel[last.kind]}${summary ? ` — ${escapeMrkdwn(summary)}` : ""}`;
}

/** The card's cadence section: where contact stands and the key dates ahead (one block). */
export function keyCareCardBlocks(standing: KeyCareStanding): KnownBlock[] {
  const face = faceText(standing.face);
  const lines = [
    `*Contact cadence*${face ? ` · key account, ${face}` : " · key account"}`,
    ...(standing.cadence ? [`:hourglass: ${cadenceText(standing.cadence)}`] : []),
    ...standing.keyDates.map(keyDateText),
  ];
  if (lines.length === 1) return [];
  return [
    {
      type: "section",
      text: {
        type: "mrkdwn",
        text: linesWithin(lines[0] ?? "", lines.slice(1), 0, (n) => `…and ${plural(n, "more key date")}`),
      },
    },
  ];
}

/** One Home line per key account: its name, where contact stands, the soonest key date. */
export function keyCareHomeLine(standing: KeyCareStanding): string {
  const name = `*${escapeMrkdwn(truncate(standing.accountName, 60))}*`;
  const parts = [
    ...(standing.cadence ? [cadenceText(standing.cadence)] : []),
    ...(standing.keyDates[0] ? [keyDateText(standing.keyDates[0])] : []),
  ];
  return `${name} — ${parts.join(" · ")}`;
}
