// Money as integer minor units (bigint): exact formatting, parsing of imported amounts, change labels.

const CURRENCY_CODE = /^[A-Za-z]{3}$/;

const digitsCache = new Map<string, number>();
const formatterCache = new Map<string, Intl.NumberFormat>();

function assertCurrencyCode(currency: string): void {
  if (!CURRENCY_CODE.test(currency)) {
    throw new RangeError(`Not an ISO 4217 currency code: ${JSON.stringify(currency)}`);
  }
}

/** Number of minor-unit digits of a currency as ICU knows it: USD 2, JPY 0, BHD 3. */
export function minorUnitDigits(currency: string): number {
  const code = currency.toUpperCase();
  const cached = digitsCache.get(code);
  if (cached !== undefined) return cached;
  assertCurrencyCode(code);
  const digits = new Intl.NumberFormat("en-US", { style: "currency", currency: code }).resolvedOptions()
    .maximumFractionDigits;
  // resolvedOptions() types this as optional; ICU always resolves it for style "currency".
  const resolved = digits ?? 2;
  digitsCache.set(code, resolved);
  return resolved;
}

function formatterFor(locale: string, currency: string, digits: number): Intl.NumberFormat {
  const key = `${locale}|${currency}`;
  let formatter = formatterCache.get(key);
  if (!formatter) {
    formatter = new Intl.NumberFormat(locale, {
      style: "currency",
      currency,
      minimumFractionDigits: digits,
      maximumFractionDigits: digits,
    });
    formatterCache.set(key, formatter);
  }
  return formatter;
}

/** Exact decimal string of a minor-unit amount, e.g. (-123456n, 2) -> "-1234.56". */
export function minorToDecimalString(minor: bigint, digits: number): string {
  const negative = minor < 0n;
  const abs = negative ? -minor : minor;
  const sign = negative ? "-" : "";
  if (digits === 0) return `${sign}${abs}`;
  const scale = 10n ** BigInt(digits);
  const fraction = (abs % scale).toString().padStart(digits, "0");
  return `${sign}${abs / scale}.${fraction}`;
}

/**
 * "$1,234.56", "€12.00", "¥1,235". The amount goes to Intl as a decimal string, not a float,
 * so values beyond 2^53 minor units are still printed digit for digit.
 */
export function formatMoney(minor: bigint, currency: string, locale = "en-US"): string {
  const code = currency.toUpperCase();
  const digits = minorUnitDigits(code);
  const decimal = minorToDecimalString(minor, digits) as Intl.StringNumericLiteral;
  return formatterFor(locale, code, digits).format(decimal);
}

export type MoneyParseErrorCode = "empty" | "invalid_format" | "too_many_decimals" | "invalid_currency";

export interface MoneyParseError {
  readonly code: MoneyParseErrorCode;
  /** Safe to show to the user (e.g. next to a CSV row number). */
  readonly message: string;
}

export type MoneyParseResult =
  | { readonly ok: true; readonly minor: bigint }
  | { readonly ok: false; readonly error: MoneyParseError };

// Either plain digits or correctly grouped thousands with commas; "." is the only decimal mark.
const MAJOR_AMOUNT = /^([+\-\u2212])?(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d+))?$/;
const MAX_INPUT_LENGTH = 100;

function parseError(code: MoneyParseErrorCode, message: string): MoneyParseResult {
  return { ok: false, error: { code, message } };
}

/**
 * Parses an amount in major units ("1,234.50", "-3") into minor units. More decimals than the
 * currency has are rejected rather than rounded: "1.234" in EUR is most likely a European
 * thousands separator, and silently reading it as 1.23 would corrupt the import.
 */
export function parseMoneyToMinor(text: string, currency: string): MoneyParseResult {
  const code = currency.toUpperCase();
  if (!CURRENCY_CODE.test(code)) {
    return parseError("invalid_currency", `"${currency}" is not a currency code.`);
  }
  let digits: number;
  try {
    digits = minorUnitDigits(code);
  } catch {
    return parseError("invalid_currency", `"${currency}" is not a currency code.`);
  }
  const trimmed = text.normalize("NFKC").trim();
  if (trimmed === "") return parseError("empty", "The amount is empty.");
  const shown = trimmed.length > 40 ? `${trimmed.slice(0, 40)}…` : trimmed;
  if (trimmed.length > MAX_INPUT_LENGTH) {
    return parseError("invalid_format", `"${shown}" is too long to be an amount.`);
  }
  const match = MAJOR_AMOUNT.exec(trimmed);
  if (!match) {
    return parseError(
      "invalid_format",
      `"${shown}" is not an amount. Use digits with "." for decimals, e.g. 1234.50 or 1,234.50.`,
    );
  }
  const [, sign, integerPart = "0", fractionPart = ""] = match;
  if (fractionPart.length > digits) {
    return parseError(
      "too_many_decimals",
      digits === 0
        ? `"${shown}" has decimals, but ${code} has no minor unit.`
        : `"${shown}" has ${fractionPart.length} decimals, but ${code} has ${digits}.`,
    );
  }
  const minorDigits = integerPart.replaceAll(",", "") + fractionPart.padEnd(digits, "0");
  const magnitude = BigInt(minorDigits);
  const negative = sign === "-" || sign === "\u2212";
  return { ok: true, minor: negative ? -magnitude : magnitude };
}

function isZero(value: bigint | number): boolean {
  return typeof value === "bigint" ? value === 0n : value === 0;
}

/**
 * Change from `previous` to `current` in percent, relative to |previous| so that a loss
 * shrinking from -100 to -50 reads as an improvement (+50). Null when previous is zero.
 */
export function percentChange(current: bigint | number, previous: bigint | number): number | null {
  if (typeof current === "bigint" && typeof previous === "bigint") {
    if (previous === 0n) return null;
    const base = previous < 0n ? -previous : previous;
    // Four decimals of a percent, computed exactly before the one conversion to a float.
    return Number(((current - previous) * 1_000_000n) / base) / 10_000;
  }
  const c = Number(current);
  const p = Number(previous);
  if (p === 0 || !Number.isFinite(c) || !Number.isFinite(p)) return null;
  return ((c - p) / Math.abs(p)) * 100;
}

const MINUS = "\u2212";
const NOT_APPLICABLE = "\u2013";

function roundedPercent(current: bigint | number, previous: bigint | number): bigint | null {
  if (typeof current === "bigint" && typeof previous === "bigint") {
    const base = previous < 0n ? -previous : previous;
    const scaled = (current - previous) * 100n;
    const negative = scaled < 0n;
    const abs = negative ? -scaled : scaled;
    // Half away from zero, in integers, so huge amounts don't lose digits.
    const rounded = (abs * 2n + base) / (base * 2n);
    return negative ? -rounded : rounded;
  }
  const pct = percentChange(current, previous);
  if (pct === null) return null;
  return BigInt(Math.sign(pct) * Math.round(Math.abs(pct)));
}

/** "+12%", "−38%" (U+2212), "new" when it grew from nothing, "–" when there is nothing to compare. */
export function formatPercentChange(current: bigint | number, previous: bigint | number): string {
  if (typeof current === "number" && !Number.isFinite(current)) return NOT_APPLICABLE;
  if (typeof previous === "number" && !Number.isFinite(previous)) return NOT_APPLICABLE;
  if (isZero(previous)) {
    // A loss appearing from zero is not "new" business; there is no meaningful ratio either.
    return current > 0 ? "new" : NOT_APPLICABLE;
  }
  const rounded = roundedPercent(current, previous);
  if (rounded === null) return NOT_APPLICABLE;
  if (rounded === 0n) return "0%";
  const abs = rounded < 0n ? -rounded : rounded;
  return `${rounded < 0n ? MINUS : "+"}${abs.toLocaleString("en-US")}%`;
}
