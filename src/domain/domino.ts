// §5 tasks 2 and 3, the domino effect: why another customer may follow the leaving one, and which
// of them to reassure first.
import { BAND_ORDER, type Band } from "./risk/score.ts";

/** What ties another account to the leaving one, as found in the records. */
export type DominoCandidate = {
  accountId: string;
  name: string;
  ownerSlackId: string | null;
  /** Band of its latest risk assessment; null when it was never scanned. */
  band: Band | null;
  /** The leaving account's segment (case-insensitive), when both have one. */
  sameSegment: string | null;
  /** The leaving account's region, when both have one and it is the same. */
  sameRegion: string | null;
  /** Names of its contacts who are also contacts of the leaving account (same e-mail, or same name and phone). */
  sharedContacts: readonly string[];
  /** Set when an AccountLink ties the two, in either direction: the links' notes (null when none). */
  link: { notes: readonly string[] } | null;
};

export type DominoReason =
  | { kind: "linked"; notes: readonly string[] }
  | { kind: "shared_contacts"; contacts: readonly string[] }
  | { kind: "same_segment_region"; segment: string; region: string }
  | { kind: "same_segment"; segment: string }
  | { kind: "at_risk"; band: "high" | "critical" };

/**
 * How much each reason adds: ties through people and contracts carry news fastest; a shared market
 * less so; an account already at risk is pushed over the edge more easily.
 */
const reasonWeight = (reason: DominoReason): number => {
  switch (reason.kind) {
    case "linked":
    case "shared_contacts":
      return 3;
    case "same_segment_region":
      return 2;
    case "same_segment":
      return 1;
    case "at_risk":
      return reason.band === "critical" ? 2 : 1;
  }
};

/** Why this account is at domino risk, strongest tie first; empty when it is not. */
export function dominoReasons(candidate: DominoCandidate): DominoReason[] {
  const reasons: DominoReason[] = [];
  if (candidate.link) reasons.push({ kind: "linked", notes: candidate.link.notes });
  if (candidate.sharedContacts.length > 0)
    reasons.push({ kind: "shared_contacts", contacts: candidate.sharedContacts });
  if (candidate.sameSegment !== null)
    reasons.push(
      candidate.sameRegion !== null
        ? { kind: "same_segment_region", segment: candidate.sameSegment, region: candidate.sameRegion }
        : { kind: "same_segment", segment: candidate.sameSegment },
    );
  if (candidate.band === "high" || candidate.band === "critical")
    reasons.push({ kind: "at_risk", band: candidate.band });
  return reasons;
}

export type RankedDomino = DominoCandidate & { reasons: DominoReason[]; score: number };

export type DominoRanking = {
  /** The first `limit` accounts, most at risk first. */
  shown: RankedDomino[];
  /** Accounts at risk beyond those shown. */
  more: number;
};

const bandRank = (band: Band | null): number => (band === null ? -1 : BAND_ORDER.indexOf(band));

/**
 * Ranks the accounts with at least one reason: the weighted reasons' sum first (so several reasons
 * beat one), then the number of reasons, then the higher risk band, then by name.
 */
export function rankDominoRisk(candidates: readonly DominoCandidate[], limit: number): DominoRanking {
  const ranked = candidates
    .map((candidate) => {
      const reasons = dominoReasons(candidate);
      return { ...candidate, reasons, score: reasons.reduce((sum, r) => sum + reasonWeight(r), 0) };
    })
    .filter((candidate) => candidate.reasons.length > 0)
    .sort(
      (a, b) =>
        b.score - a.score ||
        b.reasons.length - a.reasons.length ||
        bandRank(b.band) - bandRank(a.band) ||
        a.name.localeCompare(b.name) ||
        a.accountId.localeCompare(b.accountId),
    );
  const shown = ranked.slice(0, Math.max(0, limit));
  return { shown, more: ranked.length - shown.length };
}

const listed = (items: readonly string[], max = 3): string => {
  const head = items.slice(0, max).join(", ");
  return items.length > max ? `${head} and ${items.length - max} more` : head;
};

/** One reason as a person reads it (plain text: the caller escapes it for Slack). */
export function dominoReasonText(reason: DominoReason): string {
  switch (reason.kind) {
    case "linked": {
      const notes = reason.notes.filter((note) => note.trim() !== "");
      return notes.length > 0 ? `Linked partner (${listed(notes, 2)})` : "Linked partner";
    }
    case "shared_contacts":
      return `Shared contact${reason.contacts.length === 1 ? "" : "s"}: ${listed(reason.contacts)}`;
    case "same_segment_region":
      return `Same segment and region (${reason.segment}, ${reason.region})`;
    case "same_segment":
      return `Same segment (${reason.segment})`;
    case "at_risk":
      return `Already at ${reason.band} risk`;
  }
}
