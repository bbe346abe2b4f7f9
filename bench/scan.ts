// Scan benchmark: 100,000 accounts with 5,000,000 orders; times a full risk scan next to one plain

// SQL aggregate pass over the orders (the floor), and prints both and their ratio.
import { defaultKeyCareSettings } from "../src/domain/cadence.ts";
import { defaultClassificationSettings } from "../src/domain/classification.ts";
import { defaultResponseTargets } from "../src/domain/complaints.ts";
import { createSilentLogger } from "../src/logger.ts";
import { runRiskScan } from "../src/services/risk/run-risk-scan.ts";
import { createRoles, ROLES_OFF } from "../src/services/roles.ts";
import { createTestDatabase, useTestServer } from "../test/support/db.ts";

const ACCOUNTS = Number(process.env.BENCH_ACCOUNTS ?? 100_000);
const ORDERS = Number(process.env.BENCH_ORDERS ?? 5_000_000);

const stopServer = await useTestServer();
const db = await createTestDatabase();
try {
  const seedStart = performance.now();
  await db.pool.query(
    `INSERT INTO account (id, external_id, name)
     SELECT gen_random_uuid(), 'S-' || n, 'Scan account ' || n FROM generate_series(1, $1::int) AS n`,
    [ACCOUNTS],
  );
  // Each account orders on its own rhythm over three years; a tenth of them stop half a year ago.
  await db.pool.query(
    `INSERT INTO "order" (id, account_id, external_id, ordered_at, quantity, amount, cost, currency)
     SELECT gen_random_uuid(), a.id, 'SO-' || n,
            now() - ((n % 1095) + CASE WHEN a.k % 10 = 0 THEN 180 ELSE 0 END) * interval '1 day',
            1 + n % 40, 5000 + (n::int8 * 7919) % 200000, 4000 + (n::int8 * 7919) % 150000, 'USD'
       FROM generate_series(1, $1::int) AS n
       JOIN (SELECT id, row_number() OVER (ORDER BY id) AS k FROM account) a ON a.k = 1 + (n::int8 * 48271) % $2::int`,
    [ORDERS, ACCOUNTS],
  );
  await db.pool.query("ANALYZE");
  console.log(
    `seeded ${ACCOUNTS.toLocaleString("en-US")} accounts, ${ORDERS.toLocaleString("en-US")} orders in ${((performance.now() - seedStart) / 1000).toFixed(1)} s`,
  );

  const floorStart = performance.now();
  await db.pool.query(
    `SELECT account_id, count(*), sum(amount), max(ordered_at) FROM "order" GROUP BY account_id`,
  );
  const floorSeconds = (performance.now() - floorStart) / 1000;

  const scanStart = performance.now();
  const scan = await runRiskScan(
    {
      prisma: db.prisma,
      pool: db.pool,
      logger: createSilentLogger(),
      now: () => new Date(),
      timeZone: "UTC",
      defaultCurrency: "USD",
      responseTargets: defaultResponseTargets,
      assistant: undefined,
      roles: createRoles(ROLES_OFF, { logger: createSilentLogger(), now: () => new Date() }),
      keyCare: defaultKeyCareSettings,
      classification: defaultClassificationSettings,
      channels: { warnings: undefined, managers: undefined, retro: undefined },
      defaultRetentionCost: 2000,
      blacklistOverdueDays: 90,
    },
    { save: true },
  );
  const scanSeconds = (performance.now() - scanStart) / 1000;
  const bands = new Map<string, number>();
  for (const account of scan.accounts) bands.set(account.band, (bands.get(account.band) ?? 0) + 1);
  console.log(`plain SQL aggregate pass over the orders: ${floorSeconds.toFixed(1)} s`);
  console.log(
    `full risk scan (fit, signals, scores, saved): ${scanSeconds.toFixed(1)} s — ${(scanSeconds / floorSeconds).toFixed(1)}× the floor`,
  );
  console.log(
    `bands: ${[...bands].map(([band, n]) => `${band} ${n}`).join(", ")}; peak RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB`,
  );
} finally {
  await db.drop();
  await stopServer();
}
process.exit(0);
