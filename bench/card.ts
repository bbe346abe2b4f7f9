// /customer benchmark: 100,000 accounts and 1,000,000 orders; prints lookup and card latencies and memory.

import { defaultKeyCareSettings } from "../src/domain/cadence.ts";
import { defaultClassificationSettings } from "../src/domain/classification.ts";
import { defaultResponseTargets } from "../src/domain/complaints.ts";
import { createSilentLogger } from "../src/logger.ts";
import type { ServiceDeps } from "../src/services/deps.ts";
import { getAccountCard } from "../src/services/get-account-card.ts";
import { lookupAccount } from "../src/services/lookup-account.ts";
import { createRoles, ROLES_OFF } from "../src/services/roles.ts";
import { buildAccountCard } from "../src/slack/views/account-card.ts";
import { createTestDatabase, useTestServer } from "../test/support/db.ts";

const ACCOUNTS = Number(process.env.BENCH_ACCOUNTS ?? 100_000);
const ORDERS = Number(process.env.BENCH_ORDERS ?? 1_000_000);
const SAMPLES = 200;

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}

function report(label: string, times: number[]): void {
  const sorted = [...times].sort((a, b) => a - b);
  console.log(
    `${label.padEnd(34)} p50 ${percentile(sorted, 50).toFixed(2)} ms  p95 ${percentile(sorted, 95).toFixed(2)} ms  p99 ${percentile(sorted, 99).toFixed(2)} ms  max ${sorted.at(-1)?.toFixed(2)} ms`,
  );
}

// DATABASE_URL_TEST when set, else an embedded PostgreSQL in a temporary folder.
const stopServer = await useTestServer();
const db = await createTestDatabase();
try {
  const seedStart = performance.now();
  // Set-based seeding in SQL: the benchmark measures reading, not loading.
  await db.pool.query(
    `INSERT INTO account (id, external_id, name, aliases, segment, region)
     SELECT gen_random_uuid(), 'B-' || lpad(n::text, 6, '0'),
            (ARRAY['Northwind','Bluewater','Summit','Redwood','Harbor','杭州','深圳','成都'])[1 + n % 8] || ' ' ||
            (ARRAY['Foods','Logistics','Machinery','Retail','电子','物流','建材'])[1 + (n / 8) % 7] || ' ' || n,
            ARRAY['Alias ' || n], 'Segment ' || n % 6, 'Region ' || n % 4
       FROM generate_series(1, $1::int) AS n`,
    [ACCOUNTS],
  );
  await db.pool.query(
    `INSERT INTO "order" (id, account_id, external_id, ordered_at, quantity, amount, cost, currency)
     SELECT gen_random_uuid(), a.id, 'BO-' || n, now() - (n % 900) * interval '1 day', 1 + n % 50,
            10000 + (n::int8 * 7919) % 500000, 8000 + (n::int8 * 7919) % 400000, 'USD'
       FROM generate_series(1, $1::int) AS n
       JOIN (SELECT id, row_number() OVER (ORDER BY external_id) AS k FROM account) a ON a.k = 1 + n % $2::int`,
    [ORDERS, ACCOUNTS],
  );
  await db.pool.query("ANALYZE");
  console.log(
    `seeded ${ACCOUNTS.toLocaleString("en-US")} accounts, ${ORDERS.toLocaleString("en-US")} orders in ${((performance.now() - seedStart) / 1000).toFixed(1)} s`,
  );

  const deps: ServiceDeps = {
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
  };
  const queries = [
    "northwind foods 4242",
    "杭州 电子",
    "B-012345",
    "harbr logistcs 77",
    "summit",
    "zzzz qqqq",
  ];

  const prismaStart = performance.now();
  await db.prisma.account.findFirst();
  console.log(`first Prisma query (engine start)       ${(performance.now() - prismaStart).toFixed(0)} ms`);
  const first = performance.now();
  await lookupAccount(deps, "warm up", "UBENCH");
  console.log(`first lookup (builds the name index)   ${(performance.now() - first).toFixed(0)} ms`);

  const lookups: number[] = [];
  for (let i = 0; i < SAMPLES; i++) {
    const started = performance.now();
    await lookupAccount(deps, queries[i % queries.length] ?? "summit", "UBENCH");
    lookups.push(performance.now() - started);
  }
  report("/customer lookup (incl. card)", lookups);

  const ids = (
    await db.pool.query<{ id: string }>("SELECT id FROM account ORDER BY random() LIMIT $1", [SAMPLES])
  ).rows;
  const cards: number[] = [];
  const renders: number[] = [];
  for (const { id } of ids) {
    const started = performance.now();
    const card = await getAccountCard(deps, id, "UBENCH");
    cards.push(performance.now() - started);
    const renderStart = performance.now();
    buildAccountCard(card, { shareable: true });
    renders.push(performance.now() - renderStart);
  }
  report("card data for one account", cards);
  report("card Block Kit render", renders);
  const memory = process.memoryUsage();
  console.log(
    `memory: rss ${(memory.rss / 2 ** 20).toFixed(0)} MB, heap used ${(memory.heapUsed / 2 ** 20).toFixed(0)} MB, peak rss ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB`,
  );
} finally {
  await db.drop();
  await stopServer();
}
process.exit(0);
