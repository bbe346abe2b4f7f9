// CSV import rules, pure: the columns of each import kind, the header check, one zod schema per row kind.
import { z } from "zod";
import { type AccountStatus, accountStatuses, type ContactRole, contactRoles } from "./account-card.ts";
import { parseMoneyToMinor } from "./money.ts";
import { calendarDay, isTimeZone } from "./trends.ts";

export const importKinds = ["accounts", "contacts", "orders", "payments"] as const;
export type ImportKind = (typeof importKinds)[number];

/** One problem in an import file. `line` is the physical line (header = 1); `column` is null for whole-row problems. */
export type ImportError = {
  line: number;
  column: string | null;
  message: string;
};

/** `accounts.csv:7: status: "gone" is not a status. …` — the compiler-style line editors and terminals link. */
export function formatImportError(file: string, error: ImportError): string {
  const column = error.column === null ? "" : ` ${error.column}:`;
  return `${file}:${error.line}:${column} ${error.message}`;
}

/** The header each kind accepts. Names are exact and lower-case; order is free. */
export const importColumns = {
  accounts: {
    required: ["external_id", "name"],
    optional: [
      "owner_slack_id",
      "channel_id",
      "segment",
      "region",
      "aliases",
      "status",
      "retention_cost",
      "indirect_value",
      "long_term_value",
      "long_term_note",
      "bad_faith",
      "market_disruption",
      "linked_accounts",
      "founded_on",
    ],
  },
  contacts: {
    required: ["external_id", "account_external_id", "name"],
    optional: ["role", "email", "phone", "birthday", "started_on", "ended_on"],
  },
  orders: {
    required: ["account_external_id", "order_external_id", "ordered_at", "quantity", "amount"],
    optional: ["cost", "currency"],
  },
  payments: {
    required: ["account_external_id", "invoice_external_id", "due_on", "amount"],
    optional: ["issued_on", "paid_on", "currency"],
  },
} as const satisfies Record<ImportKind, { required: readonly string[]; optional: readonly string[] }>;

/** The column that identifies a row of each kind: re-imports update the row with the same value. */
export const idColumn = {
  accounts: "external_id",
  contacts: "external_id",
  orders: "order_external_id",
  payments: "invoice_external_id",
} as const satisfies Record<ImportKind, string>;

export type HeaderCheck = { ok: true; columns: string[] } | { ok: false; errors: ImportError[] };

/** Checks the header record before any row is read: every required column present, nothing unknown, nothing twice. */
export function checkHeader(kind: ImportKind, header: readonly string[], line: number): HeaderCheck {
  const { required, optional } = importColumns[kind];
  const known: readonly string[] = [...required, ...optional];
  const columns = header.map((name) => name.trim());
  const errors: ImportError[] = [];
  const seen = new Set<string>();
  columns.forEach((name, index) => {
    if (name === "") {
      errors.push({ line, column: null, message: `Column ${index + 1} of the header has no name.` });
      return;
    }
    if (seen.has(name)) {
      errors.push({ line, column: name, message: "This column appears more than once in the header." });
      return;
    }
    seen.add(name);
    if (!known.includes(name)) {
      const lower = name.toLowerCase();
      const hint = known.includes(lower)
        ? ` Column names are lower-case: use "${lower}".`
        : ` The ${kind} columns are: ${known.join(", ")}.`;
      errors.push({ line, column: name, message: `Unknown column for ${kind}.${hint}` });
    }
  });
  for (const name of required) {
    if (!seen.has(name))
      errors.push({ line, column: name, message: "Required column is missing from the header." });
  }
  return errors.length > 0 ? { ok: false, errors } : { ok: true, columns };
}

// ---- cell parsers -------------------------------------------------------------------------

/** A cell that failed; the message is shown after `FILE:LINE: column:`. */
class CellProblem {
  constructor(readonly message: string) {}
}
type CellParser<T> = (text: string) => T | CellProblem;

const MAX_ID_LENGTH = 255;
const MAX_TEXT_LENGTH = 1000;
const INT4_MAX = 2_147_483_647;
const INT8_MAX = 9_223_372_036_854_775_807n;

/** Quotes a cell for a message, shortened so one long cell can't flood the report. */
function shown(text: string): string {
  return JSON.stringify(text.length > 40 ? `${text.slice(0, 40)}…` : text);
}

function text(maxLength: number): CellParser<string> {
  return (value) =>
    value.length > maxLength
      ? new CellProblem(`Too long: ${value.length} characters, at most ${maxLength}.`)
      : value;
}

function pattern(regex: RegExp, what: string): CellParser<string> {
  return (value) => (regex.test(value) ? value : new CellProblem(`${shown(value)} is not ${what}.`));
}

const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Days from 1970-01-01 of a real calendar date, or null ("2023-02-29" is not one). */
function dayNumber(year: number, month: number, day: number): number | null {
  const ms = Date.UTC(year, month - 1, day);
  const check = new Date(ms);
  if (check.getUTCFullYear() !== year || check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day)
    return null;
  return ms;
}

const calendarDate: CellParser<string> = (value) => {
  const match = DAY.exec(value);
  if (!match || dayNumber(Number(match[1]), Number(match[2]), Number(match[3])) === null) {
    return new CellProblem(`${shown(value)} is not a date. Use YYYY-MM-DD, e.g. 2024-05-31.`);
  }
  return value;
};

const WHOLE_NUMBER = /^[+-]?(\d{1,3}(?:,\d{3})+|\d+)$/;

const quantityCell: CellParser<number> = (value) => {
  if (!WHOLE_NUMBER.test(value)) return new CellProblem(`${shown(value)} is not a whole number.`);
  const quantity = Number(value.replaceAll(",", ""));
  if (quantity < 0) return new CellProblem(`${shown(value)} is negative; a quantity must be 0 or more.`);
  if (quantity > INT4_MAX) return new CellProblem(`${shown(value)} is too large for a quantity.`);
  // "-0" would otherwise be stored as 0 but compared as -0 nowhere; normalise anyway.
  return quantity === 0 ? 0 : quantity;
};

/** Lower-case, spaces and dashes to underscores: "Decision Maker" and "decision-maker" both become decision_maker. */
function normalizeChoice(value: string): string {
  return value.toLowerCase().replace(/[\s-]+/g, "_");
}

const roleSpellings: Record<string, ContactRole> = {
  purchaser: "purchasing",
  buyer: "purchasing",
  procurement: "purchasing",
  decisionmaker: "decision_maker",
  decider: "decision_maker",
  end_user: "user",
  accounting: "finance",
  accounts_payable: "finance",
  billing: "finance",
};

const roleCell: CellParser<ContactRole> = (value) => {
  const key = normalizeChoice(value);
  const role = (contactRoles as readonly string[]).includes(key) ? (key as ContactRole) : roleSpellings[key];
  return role ?? new CellProblem(`${shown(value)} is not a role. Use one of: ${contactRoles.join(", ")}.`);
};

const statusCell: CellParser<AccountStatus> = (value) => {
  const key = normalizeChoice(value);
  return (accountStatuses as readonly string[]).includes(key)
    ? (key as AccountStatus)
    : new CellProblem(`${shown(value)} is not a status. Use one of: ${accountStatuses.join(", ")}.`);
};

const aliasesCell: CellParser<string[]> = (value) => {
  const aliases = [...new Set(value.split("|").map((alias) => alias.trim()))].filter((alias) => alias !== "");
  const tooLong = aliases.find((alias) => alias.length > MAX_TEXT_LENGTH);
  return tooLong === undefined
    ? aliases
    : new CellProblem(`The alias ${shown(tooLong)} is too long: at most ${MAX_TEXT_LENGTH} characters.`);
};

/** Separates the external ids in `linked_accounts`. */
export const LINKED_ACCOUNTS_SEPARATOR = ";";

const linkedAccountsCell: CellParser<string[]> = (value) => {
  const ids = [...new Set(value.split(LINKED_ACCOUNTS_SEPARATOR).map((id) => id.trim()))].filter(
    (id) => id !== "",
  );
  const tooLong = ids.find((id) => id.length > MAX_ID_LENGTH);
  return tooLong === undefined
    ? ids
    : new CellProblem(
        `${shown(tooLong)} is too long for an external id: at most ${MAX_ID_LENGTH} characters.`,
      );
};

let knownCurrencies: ReadonlySet<string> | undefined;

/** True for the ISO 4217 codes in circulation (ICU's list), upper-case. */
export function isCurrencyCode(code: string): boolean {
  knownCurrencies ??= new Set(Intl.supportedValuesOf("currency"));
  return knownCurrencies.has(code);
}

const currencyCell: CellParser<string> = (value) => {
  const code = value.toUpperCase();
  return isCurrencyCode(code)
    ? code
    : new CellProblem(`${shown(value)} is not an ISO 4217 currency code, e.g. USD.`);
};

function moneyCell(currency: string | null): CellParser<bigint> {
  return (value) => {
    // With an unusable currency the row already fails on `currency`; check only the number's shape.
    const parsed = parseMoneyToMinor(value, currency ?? "USD");
    if (!parsed.ok) {
      if (currency === null && parsed.error.code === "too_many_decimals") return 0n;
      return new CellProblem(parsed.error.message);
    }
    const magnitude = parsed.minor < 0n ? -parsed.minor : parsed.minor;
    return magnitude > INT8_MAX
      ? new CellProblem(`${shown(value)} is too large for an amount.`)
      : parsed.minor;
  };
}

/** An invoice amount: like any amount, but more than 0 (credit notes are not receivables). */
function positiveMoneyCell(currency: string | null): CellParser<bigint> {
  const money = moneyCell(currency);
  return (value) => {
    const minor = money(value);
    // Without a usable currency `money` may stand in 0n; the row fails on `currency` then anyway.
    if (minor instanceof CellProblem || minor > 0n || (minor === 0n && currency === null)) return minor;
    return new CellProblem(`${shown(value)} is not more than 0; an invoice amount must be positive.`);
  };
}

/** An amount recorded on an account (retention cost, indirect value): like any amount, but 0 or more. */
function nonNegativeMoneyCell(currency: string): CellParser<bigint> {
  const money = moneyCell(currency);
  return (value) => {
    const minor = money(value);
    if (minor instanceof CellProblem || minor >= 0n) return minor;
    return new CellProblem(`${shown(value)} is negative; this amount must be 0 or more.`);
  };
}

const booleanSpellings: Record<string, boolean> = {
  true: true,
  yes: true,
  "1": true,
  false: false,
  no: false,
  "0": false,
};

const booleanCell: CellParser<boolean> = (value) =>
  booleanSpellings[value.toLowerCase()] ??
  new CellProblem(`${shown(value)} is not a yes/no value. Use true, false, yes, no, 1 or 0.`);

function zoneOffsetMs(instant: number, timeZone: string): number {
  const parts = zoneFormatter(timeZone).formatToParts(new Date(instant));
  const field = (type: Intl.DateTimeFormatPartTypes) =>
    Number(parts.find((part) => part.type === type)?.value);
  const hour = field("hour") % 24;
  const wall = Date.UTC(
    field("year"),
    field("month") - 1,
    field("day"),
    hour,
    field("minute"),
    field("second"),
  );
  return wall - Math.floor(instant / 1000) * 1000;
}

const zoneFormatters = new Map<string, Intl.DateTimeFormat>();
function zoneFormatter(timeZone: string): Intl.DateTimeFormat {
  let formatter = zoneFormatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat("en-US", {
      timeZone,
      hourCycle: "h23",
      year: "numeric",
      month: "numeric",
      day: "numeric",
      hour: "numeric",
      minute: "numeric",
      second: "numeric",
    });
    zoneFormatters.set(timeZone, formatter);
  }
  return formatter;
}

/**
 * The first instant of calendar day `day` ("2024-03-31") in `timeZone`. Usually local midnight;
 * where a DST jump skips midnight, the moment of the jump (the day's first existing instant).
 * Null for a day the zone skipped entirely (Pacific/Apia, 2011-12-30).
 */
export function startOfDayInZone(day: string, timeZone: string): Date | null {
  const match = DAY.exec(day);
  const midnightUtc = match ? dayNumber(Number(match[1]), Number(match[2]), Number(match[3])) : null;
  if (midnightUtc === null) throw new RangeError(`Not a calendar day: ${day}`);
  // Offsets in force around that day (zones span UTC-12..+14); the true start uses one of them.
  const hour = 3_600_000;
  const offsets = new Set(
    [-15 * hour, 0, 15 * hour].map((shift) => zoneOffsetMs(midnightUtc + shift, timeZone)),
  );
  let start: number | undefined;
  for (const offset of offsets) {
    const candidate = midnightUtc - offset;
    if (calendarDay(new Date(candidate), timeZone) === day && (start === undefined || candidate < start)) {
      start = candidate;
    }
  }
  return start === undefined ? null : new Date(start);
}

const TIMESTAMP =
  /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?$/i;

function timestampCell(timeZone: string): CellParser<Date> {
  // Orders cluster on few days; remembering each day's start keeps Intl out of the hot loop.
  const dayStarts = new Map<string, Date>();
  const notADate = (value: string) =>
    new CellProblem(
      `${shown(value)} is not a date or timestamp. Use YYYY-MM-DD (start of that day in ${timeZone}) ` +
        "or an ISO timestamp with offset, e.g. 2024-05-31T14:30:00+02:00.",
    );
  return (value) => {
    if (DAY.test(value)) {
      let start = dayStarts.get(value);
      if (start === undefined) {
        if (calendarDate(value) instanceof CellProblem) return notADate(value);
        const first = startOfDayInZone(value, timeZone);
        if (first === null) return new CellProblem(`${value} does not exist in ${timeZone}.`);
        start = first;
        if (dayStarts.size >= 100_000) dayStarts.clear();
        dayStarts.set(value, start);
      }
      return start;
    }
    const match = TIMESTAMP.exec(value);
    if (!match) return notADate(value);
    const [, year, month, day, hour, minute, second = "0", fraction = "", offset] = match;
    if (offset === undefined) {
      return new CellProblem(
        `${shown(value)} has no UTC offset. Add one (Z, +02:00) or give only the date (YYYY-MM-DD).`,
      );
    }
    const midnight = dayNumber(Number(year), Number(month), Number(day));
    const [h, m, s] = [Number(hour), Number(minute), Number(second)];
    const offsetMatch = /^([+-])(\d{2}):?(\d{2})?$/.exec(offset);
    const offsetHours = Number(offsetMatch?.[2] ?? 0);
    const offsetMinutes = Number(offsetMatch?.[3] ?? 0);
    if (midnight === null || h > 23 || m > 59 || s > 59 || offsetHours > 14 || offsetMinutes > 59) {
      return notADate(value);
    }
    const offsetMs = (offsetMatch?.[1] === "-" ? -1 : 1) * (offsetHours * 60 + offsetMinutes) * 60_000;
    // The database keeps milliseconds; finer digits are cut here so re-imports compare equal.
    const ms = Number(fraction.slice(0, 3).padEnd(3, "0"));
    return new Date(midnight + ((h * 60 + m) * 60 + s) * 1000 + ms - offsetMs);
  };
}

// ---- zod glue -----------------------------------------------------------------------------

/** A required cell: non-empty after trimming, then parsed. */
function required<T>(parse: CellParser<T>) {
  return z.string().transform((value, ctx): T => {
    if (value === "") {
      ctx.addIssue({ code: "custom", message: "A value is required." });
      return z.NEVER;
    }
    const parsed = parse(value);
    if (parsed instanceof CellProblem) {
      ctx.addIssue({ code: "custom", message: parsed.message });
      return z.NEVER;
    }
    return parsed;
  });
}

/** An optional cell: an empty cell or an absent column is null (or `fallback`). */
function optional<T>(parse: CellParser<T>): z.ZodType<T | null, string | undefined>;
function optional<T>(parse: CellParser<T>, fallback: T): z.ZodType<T, string | undefined>;
function optional<T>(parse: CellParser<T>, fallback: T | null = null) {
  return z
    .string()
    .optional()
    .transform((value, ctx): T | null => {
      if (value === undefined || value === "") return fallback;
      const parsed = parse(value);
      if (parsed instanceof CellProblem) {
        ctx.addIssue({ code: "custom", message: parsed.message });
        return z.NEVER;
      }
      return parsed;
    });
}

const externalId = required(text(MAX_ID_LENGTH));
const freeText = optional(text(MAX_TEXT_LENGTH));

export type AccountRowOptions = {
  /** Currency whose decimals `retention_cost` and `indirect_value` may have (the import's default currency). */
  currency: string;
};

/** One account row; its amounts are in major units of the account's order currency. */
export function accountRowSchema(options: AccountRowOptions) {
  const money = optional(nonNegativeMoneyCell(options.currency));
  return z
    .object({
      external_id: externalId,
      name: required(text(MAX_TEXT_LENGTH)),
      owner_slack_id: optional(pattern(/^[UW][A-Z0-9]{2,}$/, "a Slack user id (like U012AB3CD)")),
      channel_id: optional(pattern(/^[CG][A-Z0-9]{2,}$/, "a Slack channel id (like C012AB3CD)")),
      segment: freeText,
      region: freeText,
      aliases: optional(aliasesCell, []),
      status: optional(statusCell, "active"),
      retention_cost: money,
      indirect_value: money,
      long_term_value: optional(booleanCell, false),
      long_term_note: freeText,
      bad_faith: optional(booleanCell, false),
      market_disruption: optional(booleanCell, false),
      linked_accounts: optional(linkedAccountsCell, []),
      founded_on: optional(calendarDate),
    })
    .transform((row, ctx) => {
      if (row.linked_accounts.includes(row.external_id)) {
        ctx.addIssue({
          code: "custom",
          path: ["linked_accounts"],
          message: `An account cannot be linked to itself (${shown(row.external_id)}).`,
        });
        return z.NEVER;
      }
      return {
        externalId: row.external_id,
        name: row.name,
        ownerSlackId: row.owner_slack_id,
        channelId: row.channel_id,
        segment: row.segment,
        region: row.region,
        aliases: row.aliases,
        status: row.status,
        retentionCost: row.retention_cost,
        indirectValue: row.indirect_value,
        longTermValue: row.long_term_value,
        longTermNote: row.long_term_note,
        badFaith: row.bad_faith,
        marketDisruption: row.market_disruption,
        /** External ids of the accounts this one is tied to (partners, group companies, dealers). */
        linkedAccounts: row.linked_accounts,
        /** §7 the customer's founding day (YYYY-MM-DD), for the anniversary reminder. */
        foundedOn: row.founded_on,
      };
    });
}
export type AccountRow = z.output<ReturnType<typeof accountRowSchema>>;

export const contactRowSchema = z
  .object({
    external_id: externalId,
    account_external_id: externalId,
    name: required(text(MAX_TEXT_LENGTH)),
    role: optional(roleCell, "other"),
    email: optional(pattern(/^[^\s@]+@[^\s@]+\.[^\s@]+$/, "an email address")),
    phone: optional(text(100)),
    birthday: optional(calendarDate),
    started_on: optional(calendarDate),
    ended_on: optional(calendarDate),
  })
  .transform((row, ctx) => {
    // ISO dates compare correctly as strings.
    if (row.started_on !== null && row.ended_on !== null && row.ended_on < row.started_on) {
      ctx.addIssue({
        code: "custom",
        path: ["ended_on"],
        message: `${row.ended_on} is before started_on (${row.started_on}).`,
      });
      return z.NEVER;
    }
    return {
      externalId: row.external_id,
      accountExternalId: row.account_external_id,
      name: row.name,
      role: row.role,
      email: row.email,
      phone: row.phone,
      birthday: row.birthday,
      startedOn: row.started_on,
      endedOn: row.ended_on,
    };
  });
export type ContactRow = z.output<typeof contactRowSchema>;

export type OrderRowOptions = {
  /** The row's currency, which fixes how many decimals `amount` and `cost` may have; null when unusable. */
  currency: string | null;
  /** Zone whose midnight a plain `ordered_at` date means. */
  timeZone: string;
};

/** One order row for a known currency: amounts are exact minor units of that currency. */
export function orderRowSchema(options: OrderRowOptions) {
  const money = moneyCell(options.currency);
  return z
    .object({
      account_external_id: externalId,
      order_external_id: externalId,
      ordered_at: required(timestampCell(options.timeZone)),
      quantity: required(quantityCell),
      amount: required(money),
      cost: optional(money),
      currency: optional(currencyCell),
    })
    .transform((row) => ({
      accountExternalId: row.account_external_id,
      orderExternalId: row.order_external_id,
      orderedAt: row.ordered_at,
      quantity: row.quantity,
      amount: row.amount,
      cost: row.cost,
      // Valid rows always have a usable currency: the cell's or the default.
      currency: row.currency ?? options.currency ?? "",
    }));
}
export type OrderRow = z.output<ReturnType<typeof orderRowSchema>>;

export type PaymentRowOptions = {
  /** The row's currency, which fixes how many decimals `amount` may have; null when unusable. */
  currency: string | null;
};

/** Adds an issue on `column` when day `later` is before the `earlier` day; true when it did. */
function dayOrderIssue(
  ctx: z.RefinementCtx,
  column: string,
  later: string | null,
  earlier: { column: string; day: string | null },
): boolean {
  // ISO dates compare correctly as strings.
  if (later === null || earlier.day === null || later >= earlier.day) return false;
  ctx.addIssue({
    code: "custom",
    path: [column],
    message: `${later} is before ${earlier.column} (${earlier.day}).`,
  });
  return true;
}

/** One invoice row (the `payments` kind): dates are calendar days; `paid_on` empty means unpaid. */
export function paymentRowSchema(options: PaymentRowOptions) {
  return z
    .object({
      account_external_id: externalId,
      invoice_external_id: externalId,
      issued_on: optional(calendarDate),
      due_on: required(calendarDate),
      amount: required(positiveMoneyCell(options.currency)),
      currency: optional(currencyCell),
      paid_on: optional(calendarDate),
    })
    .transform((row, ctx) => {
      const issued = { column: "issued_on", day: row.issued_on };
      // Both checks run so that a row with both problems reports both.
      const dueEarly = dayOrderIssue(ctx, "due_on", row.due_on, issued);
      const paidEarly = dayOrderIssue(ctx, "paid_on", row.paid_on, issued);
      if (dueEarly || paidEarly) return z.NEVER;
      return {
        accountExternalId: row.account_external_id,
        invoiceExternalId: row.invoice_external_id,
        issuedOn: row.issued_on,
        dueOn: row.due_on,
        amount: row.amount,
        // Valid rows always have a usable currency: the cell's or the default.
        currency: row.currency ?? options.currency ?? "",
        paidOn: row.paid_on,
      };
    });
}
export type PaymentRow = z.output<ReturnType<typeof paymentRowSchema>>;

export type RowOf<K extends ImportKind> = {
  accounts: AccountRow;
  contacts: ContactRow;
  orders: OrderRow;
  payments: PaymentRow;
}[K];

export type RowIssue = { column: string | null; message: string };
export type RowResult<T> = { ok: true; row: T } | { ok: false; issues: RowIssue[] };

/** Cells of one record by header name, already trimmed; columns absent from the header are absent here. */
export type RowCells = Record<string, string>;

export type RowParserOptions = {
  /** IANA zone for plain dates in `ordered_at`. */
  timeZone: string;
  /** Currency of orders and invoices without a `currency` cell, and of account amounts (ISO 4217). */
  defaultCurrency: string;
};

function issuesOf(error: z.ZodError): RowIssue[] {
  return error.issues.map((issue) => ({
    column: typeof issue.path[0] === "string" ? issue.path[0] : null,
    message: issue.message,
  }));
}

/** A validator for rows of one kind; keeps per-import caches (schemas per currency, day starts). */
export function createRowParser<K extends ImportKind>(
  kind: K,
  options: RowParserOptions,
): (cells: RowCells) => RowResult<RowOf<K>> {
  if (!isTimeZone(options.timeZone)) throw new RangeError(`Unknown time zone: ${options.timeZone}`);
  const defaultCurrency = options.defaultCurrency.toUpperCase();
  if (!isCurrencyCode(defaultCurrency)) throw new RangeError(`Unknown currency: ${options.defaultCurrency}`);
  let schemaFor: (cells: RowCells) => z.ZodType<RowOf<K>, RowCells>;
  if (kind === "orders" || kind === "payments") {
    // Amounts depend on the row's currency (its decimals): one schema per currency seen.
    const build = (currency: string | null) =>
      kind === "orders"
        ? orderRowSchema({ currency, timeZone: options.timeZone })
        : paymentRowSchema({ currency });
    const schemas = new Map<string | null, ReturnType<typeof build>>();
    schemaFor = (cells) => {
      const cell = (cells.currency ?? "").toUpperCase();
      const currency = cell === "" ? defaultCurrency : isCurrencyCode(cell) ? cell : null;
      let schema = schemas.get(currency);
      if (!schema) {
        schema = build(currency);
        schemas.set(currency, schema);
      }
      return schema as unknown as z.ZodType<RowOf<K>, RowCells>;
    };
  } else {
    const schema = (kind === "accounts"
      ? accountRowSchema({ currency: defaultCurrency })
      : contactRowSchema) as unknown as z.ZodType<RowOf<K>, RowCells>;
    schemaFor = () => schema;
  }
  return (cells) => {
    const parsed = schemaFor(cells).safeParse(cells);
    return parsed.success ? { ok: true, row: parsed.data } : { ok: false, issues: issuesOf(parsed.error) };
  };
}

/**
 * Checks cell text that no column may hold: NUL (PostgreSQL text cannot store it) and U+FFFD,
 * which is what bytes that are not UTF-8 (a Latin-1 or Excel "ANSI" export) decode to.
 */
export function cellTextProblem(value: string): string | null {
  if (value.includes("\u0000")) return "Contains a NUL character.";
  if (value.includes("\uFFFD"))
    return "Is not valid UTF-8 text. Save the file as UTF-8 (CSV UTF-8 in Excel).";
  return null;
}
