// The suggested touch of an owner reminder: a fixed sentence chosen by the occasion, the account's face
// and relationship and how the last contact went (deterministic, no AI), so the owner knows what to do.
import type { CustomerFace } from "./cadence.ts";
import type { KeyDate } from "./key-dates.ts";

export type InteractionKindName = "visit" | "call" | "email" | "meeting" | "event" | "other";

export type TouchContext = {
  face: CustomerFace | null;
  relationship: "transactional" | "partnership";
  /** Kind of the newest interaction; null when none was ever logged. */
  lastContactKind: InteractionKindName | null;
};

export type TouchOccasion = { kind: "cadence" } | Pick<KeyDate, "kind" | "name" | "years">;

const plural = (n: number, one: string) => `${n} ${one}${n === 1 ? "" : "s"}`;

function cadenceTouch(context: TouchContext): string {
  if (context.lastContactKind === null) {
    return "No contact is logged yet: call your main contact, introduce yourself as their account owner and agree when to meet.";
  }
  if (context.face === "black") {
    return "Keep it correct and documented: a short call or email on open business, with anything agreed confirmed in writing.";
  }
  const remote = context.lastContactKind === "email" || context.lastContactKind === "call";
  if (context.face === "red") {
    return remote
      ? "Go and see them: the last contact was remote, and a red-face account deserves a visit in person."
      : "Call your main contact personally: ask how things are going and whether anything bothers them.";
  }
  if (context.relationship === "partnership") {
    return "Propose a joint review: what went well since the last meeting, their plans for the next months, where we help.";
  }
  return remote
    ? "Visit purchasing: check their upcoming needs and how our last deliveries went."
    : "Call purchasing: check their upcoming needs and how our last deliveries went.";
}

/** What the owner could do for this occasion. */
export function suggestTouch(occasion: TouchOccasion, context: TouchContext): string {
  switch (occasion.kind) {
    case "cadence":
      return cadenceTouch(context);
    case "birthday":
      return context.face === "red"
        ? `Call ${occasion.name ?? "them"} on the day to wish a happy birthday, and send a personal card.`
        : `Send ${occasion.name ?? "them"} a personal birthday message on the day.`;
    case "founding_anniversary": {
      const years = occasion.years === null ? "" : ` ${plural(occasion.years, "year")}`;
      return context.relationship === "partnership" || context.face === "red"
        ? `Congratulate them on${years} in business, with a note signed by your manager too.`
        : `Congratulate them on${years} in business with a short personal note.`;
    }
    case "first_order_anniversary": {
      const years = occasion.years === null ? "" : ` ${plural(occasion.years, "year")}`;
      return `Thank them for${years} of working together, and ask what we could do better next year.`;
    }
    case "holiday":
      return context.face === "black"
        ? `Send ${occasion.name ?? "holiday"} greetings in writing.`
        : `Send ${occasion.name ?? "holiday"} greetings to your contacts, personally rather than a mass mailing.`;
  }
}
