// Churn report fixtures: accounts with orders, status history and lost cases written as the exit
// workflow writes them, a seeded random population, and a plain recount of its churn to check against.
import type { AccountStatus } from "../../src/domain/account-card.ts";
import { type ChurnReason, churnReasons } from "../../src/domain/exit.ts";
import { seededRandom } from "../../src/domain/seeded-random.ts";
import type { PrismaClient } from "../../src/generated/prisma/client.ts";

const DAY = 86_400_000;

export type SeedLoss = {
  reason: ChurnReason | null;
  currency?: string;
  /** Task 4 amounts in minor units; all null when left out. */
  receivablesOutstanding?: bigint;
  receivablesRecovered?: bigint;
  compensationClaimed?: bigint;
  compensationAgreed?: bigint;
  goodsReturned?: bigint;
  marketGapLoss?: bigint;
  /** Whether the change names its case (exit_case_id); otherwise only the case's closed_on ties them. */
  linked?: boolean;
};

export type SeedChange = { on: string; from: AccountStatus; to: AccountStatus; loss?: SeedLoss };

export type SeedAccount = {
  externalId: string;
  name: string;
  ownerSlackId: string | null;
  segment: string | null;
  createdAt: Date;
  orders: { at: Date; amount: bigint; currency?: string }[];
  changes: SeedChange[];
  /** Its status now; by default the last change's, else active. */
  status?: AccountStatus;
};

const utcDay = (day: string) => new Date(`${day}T00:00:00Z`);

/** Writes one account with its orders, status changes and, for each loss, a lost exit case. */
export async function seedAccount(prisma: PrismaClient, spec: SeedAccount): Promise<string> {
  const status = spec.status ?? spec.changes.at(-1)?.to ?? "active";
  const account = await prisma.account.create({
    data: {
      externalId: spec.externalId,
      name: spec.name,
      ownerSlackId: spec.ownerSlackId,
      segment: spec.segment,
      status,
      createdAt: spec.createdAt,
    },
  });
  if (spec.orders.length > 0) {
    await prisma.order.createMany({
      data: spec.orders.map((order, n) => ({
        accountId: account.id,
        externalId: `${spec.externalId}-O${n}`,
        orderedAt: order.at,
        quantity: 1,
        amount: order.amount,
        currency: order.currency ?? "EUR",
      })),
    });
  }
  for (const change of spec.changes) {
    let exitCaseId: string | null = null;
    if (change.loss) {
      const { reason, currency, linked, ...losses } = change.loss;
      const exitCase = await prisma.exitCase.create({
        data: {
          accountId: account.id,
          status: "lost",
          previousStatus: change.from,
          reason,
          currency: currency ?? "EUR",
          ...losses,
          closedOn: utcDay(change.on),
          startedBy: "UTEST",
        },
      });
      if (linked !== false) exitCaseId = exitCase.id;
    }
    await prisma.accountStatusChange.create({
      data: {
        accountId: account.id,
        fromStatus: change.from,
        toStatus: change.to,
        effectiveOn: utcDay(change.on),
        exitCaseId,
        actorSlackId: "UTEST",
      },
    });
  }
  return account.id;
}

const isoDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/**
 * `count` accounts created from mid-2024 to late 2026, most ordering within weeks of creation; half of
 * them lost at some point, some of those won back and some lost again, a few blacklisted. Every change
 * falls before 2026-11-20, and every history starts from active.
 */
export function churnPopulation(count: number, seed: number): SeedAccount[] {
  const random = seededRandom(seed);
  const owners = ["UANNA", "UBEN", "UCHEN", null];
  const segments = ["Retail", "Industry", "Distribution", null];
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  const last = Date.UTC(2026, 10, 20);
  return Array.from({ length: count }, (_, n) => {
    const createdAt = new Date(Date.UTC(2024, 5, 1) + Math.floor(random() * 880) * DAY + 10 * 3_600_000);
    const firstOrder = random() < 0.15 ? null : createdAt.getTime() + Math.floor(random() * 60) * DAY;
    const changes: SeedChange[] = [];
    let at = firstOrder ?? createdAt.getTime();
    let status: AccountStatus = "active";
    for (let step = 0; step < 3; step++) {
      at += (5 + Math.floor(random() * 200)) * DAY;
      if (at > last || random() < 0.35) break;
      // Lost or blacklisted, then won back (or taken off the blacklist), then maybe lost again.
      const to: AccountStatus = status === "active" ? (random() < 0.1 ? "blacklisted" : "lost") : "active";
      const loss: SeedLoss | undefined =
        to === "lost"
          ? { reason: random() < 0.2 ? null : pick(churnReasons), linked: random() < 0.7 }
          : undefined;
      changes.push({ on: isoDay(at), from: status, to, ...(loss ? { loss } : {}) });
      status = to;
    }
    return {
      externalId: `P-${String(n).padStart(3, "0")}`,
      name: `Population ${n}`,
      ownerSlackId: pick(owners),
      segment: pick(segments),
      createdAt,
      orders: firstOrder === null ? [] : [{ at: new Date(firstOrder), amount: 10_000n + BigInt(n) * 100n }],
      changes,
    };
  });
}

/**
 * The churn of the days `from`–`to` counted straight from the seed (UTC days): customers at the start
 * bought (or, never buying, were created) before it and were neither lost nor blacklisted then.
 */
export function recountChurn(
  accounts: readonly SeedAccount[],
  from: string,
  to: string,
): { customersAtStart: number; lost: number } {
  let customersAtStart = 0;
  let lost = 0;
  for (const account of accounts) {
    const firstOrder = account.orders.map((order) => order.at.getTime()).sort((a, b) => a - b)[0];
    const since = isoDay(firstOrder ?? account.createdAt.getTime());
    if (since >= from) continue;
    const before = account.changes.filter((change) => change.on < from);
    const statusThen = before.length > 0 ? before[before.length - 1]?.to : "active";
    if (statusThen === "lost" || statusThen === "blacklisted") continue;
    customersAtStart += 1;
    if (account.changes.some((change) => change.to === "lost" && change.on >= from && change.on <= to))
      lost += 1;
  }
  return { customersAtStart, lost };
}
