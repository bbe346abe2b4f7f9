// The 80/20 cut: the fewest accounts making 80% of revenue, exact with bigints, the same on every run.
import { describe, expect, it } from "vitest";
import { type AccountRevenue, keyAccounts, keyAccountsByCurrency } from "../../src/domain/key-accounts.ts";

const rows = (entries: Record<string, bigint>): AccountRevenue[] =>
  Object.entries(entries).map(([accountId, revenue]) => ({ accountId, revenue }));

const ids = (revenues: readonly AccountRevenue[], share?: number) =>
  keyAccounts(revenues, share).accounts.map((account) => account.accountId);

describe("keyAccounts", () => {
  it.each([
    ["no history at all", {}, []],
    ["only zero and negative revenue", { a: 0n, b: -500n }, []],
    ["one huge customer", { small1: 10n, huge: 1_000_000n, small2: 10n, small3: 5n }, ["huge"]],
    ["80% reached exactly by two", { a: 50n, b: 30n, c: 10n, d: 5n, e: 5n }, ["a", "b"]],
    ["just short of 80% needs one more", { a: 50n, b: 29n, c: 11n, d: 10n }, ["a", "b", "c"]],
    ["a single account", { only: 1n }, ["only"]],
    ["equal revenues everywhere", { d: 10n, a: 10n, c: 10n, b: 10n, e: 10n }, ["a", "b", "c", "d"]],
  ])("%s", (_, revenues, expected) => {
    expect(ids(rows(revenues))).toEqual(expected);
  });

  it("breaks ties at the cut by account id, whatever the input order", () => {
    // 40 + 20 = 60 < 80: two of the three 20s are needed, and which two must not depend on the order.
    const revenues = rows({ big: 40n, "t-3": 20n, "t-1": 20n, "t-2": 20n });
    expect(ids(revenues)).toEqual(["big", "t-1", "t-2"]);
    expect(ids([...revenues].reverse())).toEqual(["big", "t-1", "t-2"]);
  });

  it("adds up several rows of one account and leaves net refunds out of the total", () => {
    const cut = keyAccounts([
      { accountId: "a", revenue: 30n },
      { accountId: "b", revenue: 50n },
      { accountId: "a", revenue: 40n },
      { accountId: "refund", revenue: -1000n },
    ]);
    expect(cut.totalRevenue).toBe(120n);
    expect(cut.accounts).toEqual([
      { accountId: "a", revenue: 70n },
      { accountId: "b", revenue: 50n },
    ]);
    expect(cut.keyRevenue).toBe(120n);
  });

  it("stays exact beyond 2^53 minor units", () => {
    const big = 10n ** 30n;
    // 80% of big + big/4 is big exactly; one minor unit more and `huge` alone falls short, which
    // floats (where 1e30 + 1 === 1e30) could not tell.
    const cut = keyAccounts(rows({ huge: big, other: big / 4n }));
    expect(cut.accounts.map((a) => a.accountId)).toEqual(["huge"]);
    const tight = keyAccounts(rows({ huge: big, other: big / 4n + 1n }));
    expect(tight.accounts.map((a) => a.accountId)).toEqual(["huge", "other"]);
  });

  it("takes another share, and refuses one that is not a whole percent from 1 to 100", () => {
    expect(ids(rows({ a: 50n, b: 30n, c: 20n }), 100)).toEqual(["a", "b", "c"]);
    expect(ids(rows({ a: 50n, b: 30n, c: 20n }), 50)).toEqual(["a"]);
    expect(() => keyAccounts([], 0)).toThrow(RangeError);
    expect(() => keyAccounts([], 80.5)).toThrow(RangeError);
    expect(() => keyAccounts([], 101)).toThrow(RangeError);
  });
});

describe("keyAccountsByCurrency", () => {
  it("cuts each currency on its own, never adding them up", () => {
    const cuts = keyAccountsByCurrency([
      { accountId: "u1", currency: "usd", revenue: 900n },
      { accountId: "u2", currency: "USD", revenue: 100n },
      { accountId: "e1", currency: "EUR", revenue: 10n },
    ]);
    expect(cuts.map(({ currency, cut }) => [currency, cut.accounts.map((a) => a.accountId)])).toEqual([
      ["EUR", ["e1"]],
      ["USD", ["u1"]],
    ]);
  });

  it("has nothing to cut without revenue", () => {
    expect(keyAccountsByCurrency([])).toEqual([]);
  });
});
