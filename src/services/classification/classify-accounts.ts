// §7 re-classification: every account the scan covers, from set-based queries over the trailing
// 365 days; a class row is added only where the class changed, so the rows are the history.
import type pg from "pg";
import {
  type AccountClassification,
  type AccountFacts,
  type ClassFields,
  classChanged,
  classifyAccounts,
  type Designations,
  finishClassification,
  type RelationshipType,
  ZClassWhy,
} from "../../domain/classification.ts";
import type { LoyaltyRead } from "../../domain/loyalty.ts";
import { calendarDay } from "../../domain/trends.ts";
import type { ServiceDeps } from "../deps.ts";

const MS_PER_DAY = 86_400_000;
const TRAILING_DAYS = 365;
const LOYALTY_READS = 5;
const INSERT_CHUNK = 1000;
/** Serializes writers of class rows (the scan and a designation), so neither adds a row the other just added. */
const CLASS_LOCK = "churnwatch.account_class";

type FactsRow = {
  id: string;
  key_designated_by: string | null;
  black_face_by: string | null;
  black_face_reason: string | null;
  invested_in_us: boolean;
  integrated: boolean;
  trained: boolean;
  relationship_override: RelationshipType | null;
  currency: string | null;
  revenue: string | null;
  orders: number | null;
  cost_orders: number | null;
  cost_revenue: string | null;
  cost_cost: string | null;
  order_days: number | null;
  gap_cv: number | null;
};

/**
 * Per account (all the scan covers, or one): its designations and, over [since, until), the main
 * currency's net revenue, orders, cost-known figures and the regularity of its order days. One
 * statement: no query per account.
 */
const FACTS = `
  WITH o AS (
    SELECT account_id, currency, amount, cost, (ordered_at AT TIME ZONE $3)::date AS day
      FROM "order"
     WHERE ordered_at >= $1 AND ordered_at < $2 AND ($4::uuid IS NULL OR account_id = $4)
  ),
  per_currency AS (
    SELECT account_id, currency,
           sum(amount) AS revenue,
           count(*) FILTER (WHERE amount > 0) AS orders,
           count(*) FILTER (WHERE amount > 0 AND cost IS NOT NULL) AS cost_orders,
           coalesce(sum(amount) FILTER (WHERE amount > 0 AND cost IS NOT NULL), 0) AS cost_revenue,
           coalesce(sum(cost) FILTER (WHERE amount > 0 AND cost IS NOT NULL), 0) AS cost_cost
      FROM o GROUP BY account_id, currency
  ),
  main AS (
    SELECT DISTINCT ON (account_id) * FROM per_currency ORDER BY account_id, revenue DESC, currency
  ),
  days AS (SELECT DISTINCT account_id, day FROM o WHERE amount > 0),
  gaps AS (
    SELECT account_id, day - lag(day) OVER (PARTITION BY account_id ORDER BY day) AS gap FROM days
  ),
  regularity AS (
    SELECT account_id, count(*)::int AS order_days,
           CASE WHEN count(gap) >= 2 AND avg(gap) > 0 THEN (stddev_pop(gap) / avg(gap))::float8 END AS gap_cv
      FROM gaps GROUP BY account_id
  )
  SELECT a.id, a.key_designated_by, a.black_face_by, a.black_face_reason, a.invested_in_us,
         a.integrated, a.trained, a.relationship_override::text AS relationship_override,
         trim(m.currency) AS currency, m.revenue::text AS revenue, m.orders::int AS orders,
         m.cost_orders::int AS cost_orders, m.cost_revenue::text AS cost_revenue,
         m.cost_cost::text AS cost_cost, r.order_days, r.gap_cv
    FROM account a
    LEFT JOIN main m ON m.account_id = a.id
    LEFT JOIN regularity r ON r.account_id = a.id
   WHERE a.status NOT IN ('lost', 'blacklisted') AND ($4::uuid IS NULL OR a.id = $4)
   ORDER BY a.id`;

export function designationsOf(row: {
  key_designated_by: string | null;
  black_face_by: string | null;
  black_face_reason: string | null;
  invested_in_us: boolean;
  integrated: boolean;
  trained: boolean;
  relationship_override: RelationshipType | null;
}): Designations {
  return {
    keyDesignatedBy: row.key_designated_by,
    blackFaceBy: row.black_face_by,
    blackFaceReason: row.black_face_reason,
    facts: { investedInUs: row.invested_in_us, integrated: row.integrated, trained: row.trained },
    relationshipOverride: row.relationship_override,
  };
}

async function loadLoyalty(
  db: Pick<pg.Pool, "query">,
  asOfDay: string,
  accountId: string | null,
): Promise<Map<string, LoyaltyRead[]>> {
  const { rows } = await db.query<{ account_id: string; loyalty: LoyaltyRead }>(
    `SELECT account_id, loyalty FROM (
       SELECT account_id, loyalty::text AS loyalty,
              row_number() OVER (PARTITION BY account_id ORDER BY occurred_on DESC, created_at DESC) AS n
         FROM interaction
        WHERE loyalty IS NOT NULL AND occurred_on <= $1::date AND ($2::uuid IS NULL OR account_id = $2)
     ) r WHERE n <= $3 ORDER BY account_id, n`,
    [asOfDay, accountId, LOYALTY_READS],
  );
  const reads = new Map<string, LoyaltyRead[]>();
  for (const row of rows) {
    const list = reads.get(row.account_id);
    if (list) list.push(row.loyalty);
    else reads.set(row.account_id, [row.loyalty]);
  }
  return reads;
}

/** The end of the as-of day (exclusive) for the trailing window: the caller's scan boundary. */
async function loadFacts(
  deps: ServiceDeps,
  window: { since: Date; until: Date; asOfDay: string },
  accountId: string | null,
): Promise<AccountFacts[]> {
  const [facts, loyalty] = await Promise.all([
    deps.pool.query<FactsRow>(FACTS, [window.since, window.until, deps.timeZone, accountId]),
    loadLoyalty(deps.pool, window.asOfDay, accountId),
  ]);
  return facts.rows.map((row) => ({
    accountId: row.id,
    currency: row.currency,
    revenue: BigInt(row.revenue ?? "0"),
    orderCount: row.orders ?? 0,
    costKnownOrders: row.cost_orders ?? 0,
    costKnownRevenue: BigInt(row.cost_revenue ?? "0"),
    costKnownCost: BigInt(row.cost_cost ?? "0"),
    orderDays: row.order_days ?? 0,
    gapCv: row.gap_cv,
    designations: designationsOf(row),
    loyaltyReads: loyalty.get(row.id) ?? [],
  }));
}

type NewestRow = {
  account_id: string;
  key_basis: ClassFields["keyBasis"];
  face: ClassFields["face"];
  relationship: ClassFields["relationship"];
  loyalty: ClassFields["loyalty"];
  loyalty_direction: ClassFields["loyaltyDirection"];
  why: unknown;
};

async function newestClasses(
  client: pg.PoolClient,
  accountId: string | null,
): Promise<Map<string, NewestRow>> {
  const { rows } = await client.query<NewestRow>(
    `SELECT DISTINCT ON (account_id) account_id, key_basis::text AS key_basis, face::text AS face,
            relationship::text AS relationship, loyalty::text AS loyalty,
            loyalty_direction::text AS loyalty_direction, why
       FROM account_class
      WHERE $1::uuid IS NULL OR account_id = $1
      ORDER BY account_id, created_at DESC, id DESC`,
    [accountId],
  );
  return new Map(rows.map((row) => [row.account_id, row]));
}

function fieldsOf(row: NewestRow): ClassFields {
  return {
    keyBasis: row.key_basis,
    face: row.face,
    relationship: row.relationship,
    loyalty: row.loyalty,
    loyaltyDirection: row.loyalty_direction,
  };
}

async function insertClasses(
  client: pg.PoolClient,
  classes: readonly AccountClassification[],
  context: { fromDay: string; scanId: string | null; defaultCurrency: string },
): Promise<void> {
  for (let start = 0; start < classes.length; start += INSERT_CHUNK) {
    const chunk = classes.slice(start, start + INSERT_CHUNK);
    await client.query(
      `INSERT INTO account_class (id, account_id, scan_id, from_day, key_basis, trailing_revenue, currency,
                                  face, relationship, loyalty, loyalty_direction, why)
       SELECT gen_random_uuid(), c.account_id, $1::uuid, $2::date, c.key_basis::"KeyBasis", c.revenue::bigint,
              c.currency, c.face::"CustomerFace", c.relationship::"RelationshipType", c.loyalty::"LoyaltyRead",
              c.direction::"LoyaltyDirection", c.why::jsonb
         FROM unnest($3::uuid[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[],
                     $10::text[], $11::text[])
           AS c(account_id, key_basis, revenue, currency, face, relationship, loyalty, direction, why)`,
      [
        context.scanId,
        context.fromDay,
        chunk.map((c) => c.accountId),
        chunk.map((c) => c.keyBasis),
        chunk.map((c) => c.trailingRevenue.toString()),
        chunk.map((c) => c.currency ?? context.defaultCurrency),
        chunk.map((c) => c.face),
        chunk.map((c) => c.relationship),
        chunk.map((c) => c.loyalty),
        chunk.map((c) => c.loyaltyDirection),
        chunk.map((c) => JSON.stringify(c.why)),
      ],
    );
  }
}

async function inClassTransaction<T>(
  deps: ServiceDeps,
  work: (client: pg.PoolClient) => Promise<T>,
): Promise<T> {
  const client = await deps.pool.connect();
  try {
    await client.query("BEGIN");
    await client.query("SELECT pg_advisory_xact_lock(hashtext($1))", [CLASS_LOCK]);
    const result = await work(client);
    await client.query("COMMIT");
    return result;
  } catch (error) {
    await client.query("ROLLBACK").catch(() => {});
    throw error;
  } finally {
    client.release();
  }
}

export type ClassifyResult = { accounts: number; changed: number };

/**
 * Classifies every account that is not lost or blacklisted as of the end of `asOfDay` (the window
 * ends at `until`, exclusive) and saves the classes that changed. An account whose designations
 * changed while this ran was classified by that change already: it is left for the next run.
 */
export async function classifyAllAccounts(
  deps: ServiceDeps,
  input: { asOfDay: string; until: Date; scanId: string | null },
): Promise<ClassifyResult> {
  // The database's clock, as the rows' updated_at (set by the application's real clock, not deps.now).
  const { rows: clock } = await deps.pool.query<{ started: Date }>("SELECT clock_timestamp() AS started");
  const started = clock[0]?.started ?? new Date(0);
  const facts = await loadFacts(
    deps,
    {
      since: new Date(input.until.getTime() - TRAILING_DAYS * MS_PER_DAY),
      until: input.until,
      asOfDay: input.asOfDay,
    },
    null,
  );
  const classes = classifyAccounts(facts, deps.classification, input.asOfDay);
  const changed = await inClassTransaction(deps, async (client) => {
    const [newest, touched] = await Promise.all([
      newestClasses(client, null),
      client.query<{ id: string }>("SELECT id FROM account WHERE updated_at > $1", [started]),
    ]);
    const skip = new Set(touched.rows.map((row) => row.id));
    const toSave = classes.filter((next) => {
      if (skip.has(next.accountId)) return false;
      const previous = newest.get(next.accountId);
      return classChanged(previous ? fieldsOf(previous) : null, next);
    });
    await insertClasses(client, toSave, {
      fromDay: input.asOfDay,
      scanId: input.scanId,
      defaultCurrency: deps.defaultCurrency,
    });
    return toSave.length;
  });
  deps.logger.info({ asOf: input.asOfDay, accounts: classes.length, changed }, "accounts classified");
  return { accounts: classes.length, changed };
}

/**
 * Re-classifies one account at once after its designations or switching-cost facts changed: the
 * figures and thresholds of its newest class (the last scan's) with the designations and loyalty
 * reads as they are now. An account never classified yet gets the whole population classified
 * today, as a scan would. True when its class changed.
 */
export async function reclassifyAccount(deps: ServiceDeps, accountId: string): Promise<boolean> {
  const today = calendarDay(deps.now(), deps.timeZone);
  return inClassTransaction(deps, async (client) => {
    const newest = (await newestClasses(client, accountId)).get(accountId);
    const why = newest ? ZClassWhy.safeParse(newest.why) : null;
    if (!newest || !why?.success) return null;
    const { rows } = await client.query<Parameters<typeof designationsOf>[0]>(
      `SELECT key_designated_by, black_face_by, black_face_reason, invested_in_us, integrated, trained,
              relationship_override::text AS relationship_override
         FROM account WHERE id = $1`,
      [accountId],
    );
    const row = rows[0];
    if (!row) return false;
    const reads = (await loadLoyalty(client, today, accountId)).get(accountId) ?? [];
    const next = finishClassification(accountId, why.data, designationsOf(row), reads);
    if (!classChanged(fieldsOf(newest), next)) return false;
    await insertClasses(client, [next], {
      fromDay: today,
      scanId: null,
      defaultCurrency: deps.defaultCurrency,
    });
    return true;
  }).then(async (changed) => {
    if (changed !== null) return changed;
    const until = new Date(deps.now().getTime() + 1);
    const result = await classifyAllAccounts(deps, { asOfDay: today, until, scanId: null });
    return result.changed > 0;
  });
}
