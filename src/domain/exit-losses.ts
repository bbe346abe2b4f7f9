// §5 task 4, cutting the loss: the four items as typed in major units of the case's currency, read
// into exact minor units and checked (not negative, recovered ≤ outstanding, agreed ≤ claimed).
import { checkLosses, type ExitLosses } from "./exit.ts";
import { minorToDecimalString, minorUnitDigits, parseMoneyToMinor } from "./money.ts";

export const lossFields = [
  "receivablesOutstanding",
  "receivablesRecovered",
  "compensationClaimed",
  "compensationAgreed",
  "goodsReturned",
  "marketGapLoss",
] as const satisfies readonly (keyof ExitLosses)[];
export type LossField = (typeof lossFields)[number];

/** The database stores amounts as bigint (int8). */
const INT8_MAX = 9_223_372_036_854_775_807n;

export type LossInputs = Record<LossField, string | null>;

/** Every item null: as amounts, nothing known yet; as form inputs, all left empty. */
const allNull: Readonly<Record<LossField, null>> = Object.freeze({
  receivablesOutstanding: null,
  receivablesRecovered: null,
  compensationClaimed: null,
  compensationAgreed: null,
  goodsReturned: null,
  marketGapLoss: null,
});
export const unknownLosses: Readonly<ExitLosses> = allNull;
export const emptyLossInputs: Readonly<LossInputs> = allNull;

export type LossRead =
  | { ok: true; losses: ExitLosses }
  | { ok: false; errors: Partial<Record<LossField, string>> };

/** Reads the typed amounts (empty = not known) and checks them; one message per wrong field. */
export function readLosses(inputs: LossInputs, currency: string): LossRead {
  const errors: Partial<Record<LossField, string>> = {};
  const losses: ExitLosses = { ...unknownLosses };
  for (const field of lossFields) {
    const text = inputs[field]?.trim() ?? "";
    if (text === "") continue;
    const parsed = parseMoneyToMinor(text, currency);
    if (!parsed.ok) errors[field] = parsed.error.message;
    else if (parsed.minor < 0n) errors[field] = "Cannot be negative.";
    else if (parsed.minor > INT8_MAX) errors[field] = "Too large for an amount.";
    else losses[field] = parsed.minor;
  }
  if (Object.keys(errors).length > 0) return { ok: false, errors };
  const checked = checkLosses(losses);
  return Object.keys(checked).length > 0 ? { ok: false, errors: checked } : { ok: true, losses };
}

/** An amount as the form shows it for editing: major units with the currency's decimals, no grouping. */
export function lossInputText(minor: bigint | null, currency: string): string | null {
  return minor === null ? null : minorToDecimalString(minor, minorUnitDigits(currency));
}
