// Per import kind: the TEMP staging table, how a row is written into COPY text, and the set-based merge SQL.
import {
  type AccountRow,
  type ContactRow,
  type ImportKind,
  idColumn,
  LINKED_ACCOUNTS_SEPARATOR,
  type OrderRow,
  type PaymentRow,
  type RowOf,
} from "../../domain/import-rows.ts";

export const STAGING_TABLE = "import_staging";
export const PROBLEM_TABLE = "import_problem";

const COPY_NULL = "\\N";
const NEEDS_ESCAPE = /[\\\n\r\t]/;

/** A value in PostgreSQL's COPY text format: backslash escapes, \N for NULL. */
export function copyValue(value: string | null): string {
  if (value === null) return COPY_NULL;
  if (!NEEDS_ESCAPE.test(value)) return value;
  return value.replace(/[\\\n\r\t]/g, (char) =>
    char === "\\" ? "\\\\" : char === "\n" ? "\\n" : char === "\r" ? "\\r" : "\\t",
  );
}

/** A boolean in COPY text format. */
function copyBoolean(value: boolean): string {
  return value ? "t" : "f";
}

type MergeColumn = {
  /** Column of the real table. */
  target: string;
  /** SQL over staging row `s` (and the joined account `a`) giving its value. */
  value: string;
  /** The CSV column whose presence in the header makes the import own this column; null: always written. */
  csv: string | null;
};

export type KindSpec<K extends ImportKind> = {
  target: string;
  /** Staging columns after (line, valid), in COPY order, with their types. */
  stagingColumns: readonly (readonly [name: string, type: string])[];
  /** The row's staging values after (line, valid), COPY-encoded and tab-joined. */
  encode(row: RowOf<K>): string;
  /** The row's id for the in-file duplicate check. */
  idOf(row: RowOf<K>): string;
  /** Whether rows reference an account by `account_external_id`. */
  referencesAccount: boolean;
  columns: readonly MergeColumn[];
  /** Checks of valid staged rows against stored rows (given the file's columns): INSERTs into the problem table. */
  storedRowChecks?: (headerColumns: ReadonlySet<string>) => string[];
};

const accounts: KindSpec<"accounts"> = {
  target: "account",
  stagingColumns: [
    ["external_id", "text"],
    ["name", "text"],
    ["aliases", "text"],
    ["owner_slack_id", "text"],
    ["channel_id", "text"],
    ["segment", "text"],
    ["region", "text"],
    ["status", "text"],
    ["retention_cost", "bigint"],
    ["indirect_value", "bigint"],
    ["long_term_value", "boolean"],
    ["long_term_note", "text"],
    ["bad_faith", "boolean"],
    ["market_disruption", "boolean"],
    // External ids joined by the separator they were split on, so none contains it.
    ["linked_accounts", "text"],
    ["founded_on", "date"],
  ],
  encode: (row: AccountRow) =>
    [
      row.externalId,
      row.name,
      // Aliases were split on "|", so no alias contains one.
      row.aliases.join("|"),
      row.ownerSlackId,
      row.channelId,
      row.segment,
      row.region,
      row.status,
      row.retentionCost === null ? null : row.retentionCost.toString(),
      row.indirectValue === null ? null : row.indirectValue.toString(),
      copyBoolean(row.longTermValue),
      row.longTermNote,
      copyBoolean(row.badFaith),
      copyBoolean(row.marketDisruption),
      row.linkedAccounts.join(LINKED_ACCOUNTS_SEPARATOR),
      row.foundedOn,
    ]
      .map(copyValue)
      .join("\t"),
  idOf: (row) => row.externalId,
  referencesAccount: false,
  columns: [
    { target: "external_id", value: "s.external_id", csv: null },
    { target: "name", value: "s.name", csv: null },
    { target: "aliases", value: "string_to_array(s.aliases, '|')", csv: "aliases" },
    { target: "owner_slack_id", value: "s.owner_slack_id", csv: "owner_slack_id" },
    { target: "channel_id", value: "s.channel_id", csv: "channel_id" },
    { target: "segment", value: "s.segment", csv: "segment" },
    { target: "region", value: "s.region", csv: "region" },
    { target: "status", value: `s.status::"AccountStatus"`, csv: "status" },
    // §4 inputs: absent columns keep what is stored (or the table's defaults on insert).
    { target: "retention_cost", value: "s.retention_cost", csv: "retention_cost" },
    { target: "indirect_value", value: "s.indirect_value", csv: "indirect_value" },
    { target: "long_term_value", value: "s.long_term_value", csv: "long_term_value" },
    { target: "long_term_note", value: "s.long_term_note", csv: "long_term_note" },
    { target: "bad_faith", value: "s.bad_faith", csv: "bad_faith" },
    { target: "market_disruption", value: "s.market_disruption", csv: "market_disruption" },
    { target: "founded_on", value: "s.founded_on", csv: "founded_on" },
  ],
};

const contacts: KindSpec<"contacts"> = {
  target: "contact",
  stagingColumns: [
    ["external_id", "text"],
    ["account_external_id", "text"],
    ["name", "text"],
    ["role", "text"],
    ["email", "text"],
    ["phone", "text"],
    ["birthday", "date"],
    ["started_on", "date"],
    ["ended_on", "date"],
  ],
  encode: (row: ContactRow) =>
    [
      row.externalId,
      row.accountExternalId,
      row.name,
      row.role,
      row.email,
      row.phone,
      row.birthday,
      row.startedOn,
      row.endedOn,
    ]
      .map(copyValue)
      .join("\t"),
  idOf: (row) => row.externalId,
  referencesAccount: true,
  columns: [
    { target: "external_id", value: "s.external_id", csv: null },
    { target: "account_id", value: "a.id", csv: null },
    { target: "name", value: "s.name", csv: null },
    { target: "role", value: `s.role::"ContactRole"`, csv: "role" },
    { target: "email", value: "s.email", csv: "email" },
    { target: "phone", value: "s.phone", csv: "phone" },
    { target: "birthday", value: "s.birthday", csv: "birthday" },
    { target: "started_on", value: "s.started_on", csv: "started_on" },
    { target: "ended_on", value: "s.ended_on", csv: "ended_on" },
  ],
};

const orders: KindSpec<"orders"> = {
  target: "order",
  stagingColumns: [
    ["external_id", "text"],
    ["account_external_id", "text"],
    // Epoch milliseconds: far cheaper to write per row than an ISO string, and exact.
    ["ordered_at_ms", "bigint"],
    ["quantity", "integer"],
    ["amount", "bigint"],
    ["cost", "bigint"],
    ["currency", "text"],
  ],
  // Hot path for large files: no array, no regex on values that cannot need escaping.
  encode: (row: OrderRow) =>
    `${copyValue(row.orderExternalId)}\t${copyValue(row.accountExternalId)}\t${row.orderedAt.getTime()}\t${
      row.quantity
    }\t${row.amount}\t${row.cost === null ? COPY_NULL : row.cost}\t${row.currency}`,
  idOf: (row) => row.orderExternalId,
  referencesAccount: true,
  columns: [
    { target: "external_id", value: "s.external_id", csv: null },
    { target: "account_id", value: "a.id", csv: null },
    {
      target: "ordered_at",
      value: "timestamptz 'epoch' + s.ordered_at_ms * interval '1 millisecond'",
      csv: null,
    },
    { target: "quantity", value: "s.quantity", csv: null },
    { target: "amount", value: "s.amount", csv: null },
    { target: "cost", value: "s.cost", csv: "cost" },
    // Always written: the amounts are in this currency, whether it came from the file or the default.
    { target: "currency", value: "s.currency", csv: null },
  ],
};

/**
 * A stored date the row does not override (its column is absent from the file) must still fit the
 * row's dates: `due_on` and `paid_on` not before `issued_on`. Within a row the row schema checks it.
 */
function paymentDayOrderChecks(headerColumns: ReadonlySet<string>): string[] {
  const day = (column: string) => (headerColumns.has(column) ? `s.${column}` : `r.${column}`);
  const checks: string[] = [];
  for (const later of ["due_on", "paid_on"]) {
    // A stored date is involved only when exactly one of the two columns is in the file.
    if (headerColumns.has(later) === headerColumns.has("issued_on")) continue;
    checks.push(`INSERT INTO ${PROBLEM_TABLE} (line, column_name, message, row_valid)
      SELECT s.line, '${later}',
        format('%s is before issued_on (%s), as stored for invoice %s.',
          to_char(${day(later)}, 'YYYY-MM-DD'), to_char(${day("issued_on")}, 'YYYY-MM-DD'), to_json(s.external_id)::text),
        true
      FROM ${STAGING_TABLE} s JOIN receivable r ON r.external_id = s.external_id
      WHERE s.valid AND ${day(later)} < ${day("issued_on")}`);
  }
  return checks;
}

const payments: KindSpec<"payments"> = {
  target: "receivable",
  stagingColumns: [
    ["external_id", "text"],
    ["account_external_id", "text"],
    ["issued_on", "date"],
    ["due_on", "date"],
    ["amount", "bigint"],
    ["currency", "text"],
    ["paid_on", "date"],
  ],
  encode: (row: PaymentRow) =>
    [
      row.invoiceExternalId,
      row.accountExternalId,
      row.issuedOn,
      row.dueOn,
      row.amount.toString(),
      row.currency,
      row.paidOn,
    ]
      .map(copyValue)
      .join("\t"),
  idOf: (row) => row.invoiceExternalId,
  referencesAccount: true,
  columns: [
    { target: "external_id", value: "s.external_id", csv: null },
    { target: "account_id", value: "a.id", csv: null },
    { target: "issued_on", value: "s.issued_on", csv: "issued_on" },
    { target: "due_on", value: "s.due_on", csv: null },
    { target: "amount", value: "s.amount", csv: null },
    // Always written: the amount is in this currency, whether it came from the file or the default.
    { target: "currency", value: "s.currency", csv: null },
    // Absent from a file of open items only, so stored payments are kept; present and filled, the invoice is paid.
    { target: "paid_on", value: "s.paid_on", csv: "paid_on" },
  ],
  storedRowChecks: paymentDayOrderChecks,
};

export const kindSpecs: { [K in ImportKind]: KindSpec<K> } = { accounts, contacts, orders, payments };

function quoted(identifier: string): string {
  return `"${identifier.replaceAll('"', '""')}"`;
}

export function createStagingSql(kind: ImportKind): string[] {
  const spec = kindSpecs[kind];
  const columns = spec.stagingColumns.map(([name, type]) => `${name} ${type}`).join(", ");
  return [
    `CREATE TEMP TABLE ${STAGING_TABLE} (line integer NOT NULL, valid boolean NOT NULL, ${columns}) ON COMMIT DROP`,
    `CREATE TEMP TABLE ${PROBLEM_TABLE} (line integer NOT NULL, column_name text, message text NOT NULL, row_valid boolean NOT NULL) ON COMMIT DROP`,
  ];
}

export function copySql(kind: ImportKind): string {
  const names = ["line", "valid", ...kindSpecs[kind].stagingColumns.map(([name]) => name)];
  return `COPY ${STAGING_TABLE} (${names.join(", ")}) FROM STDIN`;
}

/** Later lines repeating an id of an earlier line (valid or not) become problems. */
export function duplicateCheckSql(kind: ImportKind): string {
  return `INSERT INTO ${PROBLEM_TABLE} (line, column_name, message, row_valid)
    SELECT d.line, '${idColumn[kind]}', format('Duplicate id %s: line %s has it already.', to_json(d.external_id)::text, d.first_line), d.valid
    FROM (
      SELECT line, valid, external_id, min(line) OVER (PARTITION BY external_id) AS first_line
      FROM ${STAGING_TABLE} WHERE external_id IS NOT NULL
    ) d
    WHERE d.line <> d.first_line`;
}

/** Valid rows whose account_external_id is not an account in the database become problems. */
export function referenceCheckSql(): string {
  return `INSERT INTO ${PROBLEM_TABLE} (line, column_name, message, row_valid)
    SELECT s.line, 'account_external_id',
      format('No account with external_id %s. Import accounts first.', to_json(s.account_external_id)::text), true
    FROM ${STAGING_TABLE} s
    WHERE s.valid AND NOT EXISTS (SELECT 1 FROM account a WHERE a.external_id = s.account_external_id)`;
}

/**
 * One INSERT … ON CONFLICT for all staged rows. Only the columns the file has are written
 * (required ones always), so a file without `segment` leaves segments alone. Rows whose written
 * columns are all equal are not touched at all, which keeps `updated_at` and makes re-imports no-ops.
 * Counts inserted vs updated from xmax: 0 for a tuple this statement inserted.
 */
export function mergeSql(
  kind: ImportKind,
  headerColumns: ReadonlySet<string>,
  excludeProblems: boolean,
): string {
  const spec = kindSpecs[kind];
  const written = spec.columns.filter((column) => column.csv === null || headerColumns.has(column.csv));
  const updatable = written.filter((column) => column.target !== "external_id");
  const target = quoted(spec.target);
  const join = spec.referencesAccount ? "JOIN account a ON a.external_id = s.account_external_id" : "";
  const filter = excludeProblems
    ? `AND NOT EXISTS (SELECT 1 FROM ${PROBLEM_TABLE} p WHERE p.line = s.line)`
    : "";
  const targetColumns = updatable.map((column) => `t.${quoted(column.target)}`).join(", ");
  const excludedColumns = updatable.map((column) => `EXCLUDED.${quoted(column.target)}`).join(", ");
  return `WITH merged AS (
    INSERT INTO ${target} AS t (id, ${written.map((column) => quoted(column.target)).join(", ")})
    SELECT gen_random_uuid(), ${written.map((column) => column.value).join(", ")}
    FROM ${STAGING_TABLE} s ${join}
    WHERE s.valid ${filter}
    ON CONFLICT (external_id) DO UPDATE SET
      ${updatable.map((column) => `${quoted(column.target)} = EXCLUDED.${quoted(column.target)}`).join(", ")},
      updated_at = CURRENT_TIMESTAMP
    WHERE ROW(${targetColumns}) IS DISTINCT FROM ROW(${excludedColumns})
    RETURNING (t.xmax = 0) AS inserted
  )
  SELECT count(*) FILTER (WHERE inserted)::integer AS inserted, count(*) FILTER (WHERE NOT inserted)::integer AS updated
  FROM merged`;
}

/** The CSV column whose presence makes the accounts import own each listed account's links. */
export const LINKED_ACCOUNTS_COLUMN = "linked_accounts";

/** The staged lines whose account is written: valid, and without a problem found by the checks. */
const writtenLine = (alias: string) =>
  `${alias}.valid AND NOT EXISTS (SELECT 1 FROM ${PROBLEM_TABLE} p WHERE p.line = ${alias}.line)`;

const linkedIds = (alias: string) =>
  `unnest(string_to_array(${alias}.linked_accounts, '${LINKED_ACCOUNTS_SEPARATOR}'))`;

/**
 * Each `linked_accounts` id must be an account already stored or one this file writes. A line that
 * fails is not written, so accounts linking to it fail in turn: run this until it adds nothing (it
 * skips lines it already reported). Returns the problems it added via the statement's row count.
 */
export function linkedAccountsCheckSql(): string {
  return `INSERT INTO ${PROBLEM_TABLE} (line, column_name, message, row_valid)
    SELECT s.line, '${LINKED_ACCOUNTS_COLUMN}',
      CASE WHEN t.line IS NULL
        THEN format('No account with external_id %s in this file or imported before.', to_json(x.id)::text)
        ELSE format('Account %s is not imported: line %s has problems.', to_json(x.id)::text, t.line)
      END,
      true
    FROM ${STAGING_TABLE} s
    CROSS JOIN LATERAL ${linkedIds("s")} AS x(id)
    LEFT JOIN LATERAL (
      SELECT min(f.line) AS line FROM ${STAGING_TABLE} f WHERE f.external_id = x.id
    ) t ON true
    WHERE s.valid
      AND NOT EXISTS (
        SELECT 1 FROM ${PROBLEM_TABLE} p WHERE p.line = s.line AND p.column_name = '${LINKED_ACCOUNTS_COLUMN}')
      AND NOT EXISTS (SELECT 1 FROM account a WHERE a.external_id = x.id)
      AND NOT EXISTS (SELECT 1 FROM ${STAGING_TABLE} w WHERE w.external_id = x.id AND ${writtenLine("w")})`;
}

/**
 * After the accounts are merged: every written line's links become exactly those it lists (an
 * empty cell removes them). Links kept are left untouched (their note and creation time stay);
 * links stored from accounts not in the file, and links pointing at a listed account, are left alone.
 */
export function linkedAccountsMergeSql(): string {
  return `WITH owners AS (
    SELECT s.line, a.id, s.linked_accounts FROM ${STAGING_TABLE} s JOIN account a ON a.external_id = s.external_id
    WHERE ${writtenLine("s")}
  ),
  wanted AS (
    SELECT DISTINCT o.id AS account_id, l.id AS linked_id
    FROM owners o CROSS JOIN LATERAL ${linkedIds("o")} AS x(id) JOIN account l ON l.external_id = x.id
  ),
  removed AS (
    DELETE FROM account_link k USING owners o
    WHERE k.account_id = o.id
      AND NOT EXISTS (SELECT 1 FROM wanted w WHERE w.account_id = k.account_id AND w.linked_id = k.linked_id)
    RETURNING 1
  ),
  added AS (
    INSERT INTO account_link (id, account_id, linked_id)
    SELECT gen_random_uuid(), account_id, linked_id FROM wanted
    ON CONFLICT (account_id, linked_id) DO NOTHING
    RETURNING 1
  )
  SELECT (SELECT count(*) FROM added)::integer AS added, (SELECT count(*) FROM removed)::integer AS removed`;
}
