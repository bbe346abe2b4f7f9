// Block Kit for §7 classification: the card's class section with its why, the class-change note in a
// key account's channel, and the Classification modal (designations and switching-cost facts).
import type { types } from "@slack/bolt";
import { z } from "zod";
import {
  type CardClass,
  type ClassFields,
  type ClassWhy,
  faceLabel,
  type KeyWhy,
  relationshipLabel,
  type SwitchingCostFacts,
} from "../../domain/classification.ts";
import { loyaltyLabel } from "../../domain/loyalty.ts";
import { formatMoney } from "../../domain/money.ts";
import {
  BLACK_REASON_MAX,
  type DesignationField,
  type DesignationForm,
  type DesignationInput,
} from "../../services/classification/designations.ts";
import type { ClassNote } from "../../services/classification/post-class-notes.ts";
import { ids } from "../ids.ts";
import { escapeMrkdwn, oneLine, truncate } from "./mrkdwn.ts";

type KnownBlock = types.KnownBlock;

const FOR_MANAGERS = "figures for managers";

function keyText(fields: ClassFields): string {
  if (fields.keyBasis === "revenue") return "Key account";
  if (fields.keyBasis === "designated") return "Key account (designated)";
  return "Not key";
}

function loyaltyPart(fields: ClassFields): string {
  if (!fields.loyalty) return "loyalty not read yet";
  return `${loyaltyLabel[fields.loyalty]}${fields.loyaltyDirection ? ` (${fields.loyaltyDirection})` : ""}`;
}

/** "Key account · Red face · Partnership · Loyal (steady)": the class on one line. */
export function classSummary(fields: ClassFields): string {
  return [
    keyText(fields),
    fields.face ? faceLabel[fields.face] : "no face",
    relationshipLabel[fields.relationship],
    `loyalty ${loyaltyPart(fields)}`,
  ].join(" · ");
}

function cv(value: number): string {
  return value.toFixed(2);
}

function keyWhy(key: KeyWhy, asOf: string): string {
  const money = (minor: string) => (key.currency ? formatMoney(BigInt(minor), key.currency) : minor);
  const parts: string[] = [];
  if (key.currency === null) parts.push(`no orders in the 12 months to ${asOf}`);
  else if (key.byRevenue)
    parts.push(
      `#${key.rank} of the ${key.keyAccounts} accounts making ${key.sharePercent}% of ${key.currency} revenue (together ${key.cumulativeSharePercent}% up to it) · ${money(key.revenue)} of ${money(key.totalRevenue)} in the 12 months to ${asOf}`,
    );
  else
    parts.push(
      `${money(key.revenue)} in the 12 months to ${asOf}: outside the ${key.keyAccounts} accounts making ${key.sharePercent}% of ${key.currency} revenue (${money(key.totalRevenue)})`,
    );
  if (key.designatedBy) parts.push(`designated key by <@${key.designatedBy}>`);
  return parts.join(" · ");
}

/** "Why red": the rule, its inputs and thresholds; profit and margin only where the viewer may see them. */
export function faceWhy(why: ClassWhy, marginVisible: boolean): string {
  const face = why.face;
  const currency = why.key.currency;
  const money = (minor: string | null) =>
    minor === null ? FOR_MANAGERS : currency ? formatMoney(BigInt(minor), currency) : minor;
  const hidden = !marginVisible;
  const profit = hidden ? FOR_MANAGERS : money(face.inputs.profitPerOrder);
  const profitMin = hidden ? FOR_MANAGERS : money(face.thresholds.profitPerOrderMin);
  const margin = (value: number | null) => (hidden ? FOR_MANAGERS : value === null ? "unknown" : `${value}%`);
  const top = 100 - face.percentile;
  const regularity =
    face.inputs.gapCv === null
      ? `too few order days to judge regularity (${face.inputs.orderDays})`
      : `order gaps vary by ${cv(face.inputs.gapCv)} (irregular from ${cv(face.thresholds.irregularGapCv)})`;
  const redRule = `red: profit per order ${profit} at or above ${profitMin} (top ${top}% of ${currency ?? "the"} accounts) with irregular orders`;
  const whiteRule = `white: revenue ${money(face.inputs.revenue)} at or above ${money(face.thresholds.revenueMin)} (top ${top}%) with margin ${margin(face.inputs.marginPercent)} at or below ${margin(face.thresholds.marginPercentMax)} (bottom ${top}%)`;
  const figures = `${regularity}; ${redRule}; ${whiteRule}`;
  switch (face.rule) {
    case "black_designated":
      return `*Why black* designated by ${face.blackFaceBy ? `<@${face.blackFaceBy}>` : "a manager"}: ${escapeMrkdwn(oneLine(face.blackFaceReason ?? "", 300))}${face.computed ? ` · the figures alone say ${face.computed}` : ""}`;
    case "red":
      return `*Why red* ${figures}`;
    case "white":
      return `*Why white* ${figures}`;
    case "no_orders":
      return "*No face* no orders in the 12 months";
    default:
      return `*No face* neither rule holds: ${figures}`;
  }
}

function factList(facts: SwitchingCostFacts): string[] {
  return [
    ...(facts.investedInUs ? ["invested in our product"] : []),
    ...(facts.integrated ? ["integrated it"] : []),
    ...(facts.trained ? ["trained people on it"] : []),
  ];
}

function relationshipWhy(why: ClassWhy): string {
  const r = why.relationship;
  const facts = factList(r.facts);
  const factText = facts.length > 0 ? `switching costs: ${facts.join(", ")}` : "no switching costs recorded";
  const regular =
    r.regular === null
      ? "too few orders to judge regularity"
      : r.regular
        ? "regular orders"
        : "irregular orders";
  if (r.rule === "override")
    return `set by a manager (the facts say ${relationshipLabel[r.computed].toLowerCase()}: ${factText}, ${regular})`;
  if (r.rule === "facts") return factText;
  return `${factText}; ${regular}`;
}

/** The card's class section: key with its why, face with "why red", relationship, loyalty, since when. */
export function classBlocks(cardClass: CardClass, marginVisible: boolean): KnownBlock[] {
  const { current, previous } = cardClass;
  const why = current.why;
  const lines = [`*Class* ${classSummary(current)}`];
  if (why) {
    lines.push(`*Key* ${keyWhy(why.key, why.asOf)}`);
    lines.push(faceWhy(why, marginVisible));
    lines.push(`*${relationshipLabel[current.relationship]}* ${relationshipWhy(why)}`);
  }
  const context = [`Class since ${current.fromDay}`];
  if (previous) context.push(`before: ${classSummary(previous)} (since ${previous.fromDay})`);
  if (why) context.push(`figures of ${why.asOf}`);
  return [
    { type: "section", text: { type: "mrkdwn", text: truncate(lines.join("\n"), 3000) } },
    { type: "context", elements: [{ type: "mrkdwn", text: truncate(context.join("  ·  "), 2000) }] },
  ];
}

/** The short note in a key account's channel when its class changed (no figures: a channel reads it). */
export function buildClassNote(note: ClassNote): { text: string; blocks: KnownBlock[] } {
  const name = escapeMrkdwn(oneLine(note.accountName, 150));
  const text = `${name} changed class: ${classSummary(note.current)}`;
  return {
    text,
    blocks: [
      {
        type: "section",
        text: {
          type: "mrkdwn",
          text: truncate(
            `:label: *${name}* changed class on ${note.fromDay}\n*Now* ${classSummary(note.current)}\n*Before* ${classSummary(note.previous)}`,
            3000,
          ),
        },
      },
      {
        type: "context",
        elements: [
          { type: "mrkdwn", text: `\`/customer ${truncate(oneLine(note.accountName, 80), 80)}\` shows why` },
        ],
      },
    ],
  };
}

/** block_id (and action_id) of each input of the Classification modal. */
export const classBlock: Record<DesignationField, string> = {
  key: "class_key",
  blackFace: "class_black_face",
  blackFaceReason: "class_black_reason",
  relationshipOverride: "class_relationship",
  facts: "class_facts",
};

const plain = (text: string): types.PlainTextElement => ({ type: "plain_text", text });
const option = (value: string, text: string) => ({ text: plain(text), value });

const factOptions: [keyof SwitchingCostFacts, string][] = [
  ["investedInUs", "They invested in our product"],
  ["integrated", "They integrated it into their operations"],
  ["trained", "They trained their people on it"],
];

const relationshipOptions = [
  option("computed", "From the facts and order regularity"),
  option("transactional", "Transactional"),
  option("partnership", "Partnership"),
];

export const ZClassificationMetadata = z.object({ accountId: z.uuid(), version: z.string().min(1) });

export function buildClassificationModal(form: DesignationForm): types.ModalView {
  const managersOnly = form.manager ? "" : " (managers only)";
  const keyOption = option("key", "Key account, whatever its revenue");
  const blackOption = option("black", "Black face: little profit, but brand value");
  const chosenFacts = factOptions
    .filter(([fact]) => form.facts[fact])
    .map(([fact, text]) => option(fact, text));
  const relationship =
    relationshipOptions.find((o) => o.value === (form.relationshipOverride ?? "computed")) ??
    relationshipOptions[0];
  const blocks: KnownBlock[] = [
    {
      type: "section",
      text: {
        type: "mrkdwn",
        text: `*${escapeMrkdwn(truncate(form.accountName, 200))}* · classification (§7)`,
      },
    },
    {
      type: "context",
      elements: [
        {
          type: "mrkdwn",
          text: form.manager
            ? "Designations are yours as a manager; anyone may record the switching-cost facts."
            : "Key and black-face designations and the relationship override are for managers; you can record the switching-cost facts.",
        },
      ],
    },
    {
      type: "input",
      block_id: classBlock.key,
      optional: true,
      label: plain(`Key designation${managersOnly}`),
      element: {
        type: "checkboxes",
        action_id: classBlock.key,
        options: [keyOption],
        ...(form.keyDesignatedBy ? { initial_options: [keyOption] } : {}),
      },
    },
    {
      type: "input",
      block_id: classBlock.blackFace,
      optional: true,
      label: plain(`Black face${managersOnly}`),
      element: {
        type: "checkboxes",
        action_id: classBlock.blackFace,
        options: [blackOption],
        ...(form.blackFaceBy ? { initial_options: [blackOption] } : {}),
      },
    },
    {
      type: "input",
      block_id: classBlock.blackFaceReason,
      optional: true,
      label: plain("Why black face"),
      hint: plain("Required for a black face: sponsorship, designated supplier to an authority, …"),
      element: {
        type: "plain_text_input",
        action_id: classBlock.blackFaceReason,
        multiline: true,
        max_length: BLACK_REASON_MAX,
        ...(form.blackFaceReason ? { initial_value: form.blackFaceReason } : {}),
      },
    },
    {
      type: "input",
      block_id: classBlock.relationshipOverride,
      label: plain(`Relationship type${managersOnly}`),
      element: {
        type: "static_select",
        action_id: classBlock.relationshipOverride,
        options: relationshipOptions,
        ...(relationship ? { initial_option: relationship } : {}),
      },
    },
    {
      type: "input",
      block_id: classBlock.facts,
      optional: true,
      label: plain("Switching costs"),
      element: {
        type: "checkboxes",
        action_id: classBlock.facts,
        options: factOptions.map(([fact, text]) => option(fact, text)),
        ...(chosenFacts.length > 0 ? { initial_options: chosenFacts } : {}),
      },
    },
  ];
  return {
    type: "modal",
    callback_id: ids.view.classification,
    title: plain("Classification"),
    submit: plain("Save"),
    close: plain("Cancel"),
    private_metadata: JSON.stringify({ accountId: form.accountId, version: form.version }),
    blocks,
  };
}

export function parseClassificationMetadata(privateMetadata: string): { accountId: string; version: string } {
  return ZClassificationMetadata.parse(JSON.parse(privateMetadata));
}

const ZChecked = z.object({ selected_options: z.array(z.object({ value: z.string() })).nullish() });
const ZText = z.object({ value: z.string().nullish() });
const ZSelect = z.object({ selected_option: z.object({ value: z.string() }).nullish() });

/** The submitted values (anything unreadable counts as empty). */
export function readClassificationState(values: unknown): DesignationInput {
  const state = z.record(z.string(), z.record(z.string(), z.unknown())).parse(values);
  const field = (name: DesignationField) => state[classBlock[name]]?.[classBlock[name]];
  const checked = (name: DesignationField) => {
    const parsed = ZChecked.safeParse(field(name));
    return new Set(parsed.success ? (parsed.data.selected_options ?? []).map((o) => o.value) : []);
  };
  const reason = ZText.safeParse(field("blackFaceReason"));
  const relationship = ZSelect.safeParse(field("relationshipOverride"));
  const chosen = relationship.success ? relationship.data.selected_option?.value : undefined;
  const facts = checked("facts");
  return {
    key: checked("key").has("key"),
    blackFace: checked("blackFace").has("black"),
    blackFaceReason: reason.success ? (reason.data.value ?? null) : null,
    relationshipOverride: chosen === "transactional" || chosen === "partnership" ? chosen : null,
    facts: {
      investedInUs: facts.has("investedInUs"),
      integrated: facts.has("integrated"),
      trained: facts.has("trained"),
    },
  };
}
