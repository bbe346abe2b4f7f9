import { describe, expect, it } from "vitest";
import { createSilentLogger } from "../../src/logger.ts";
import { remindEachOwner } from "../../src/services/remind-owners.ts";

describe("remindEachOwner", () => {
  it("pages through every owner in id order, counts what was sent, and carries on past a failure", async () => {
    const all = Array.from({ length: 7 }, (_, i) => `U${i}`);
    const asked: string[] = [];
    const run = await remindEachOwner({
      ownersAfter: async (after, limit) => {
        asked.push(after);
        return all.filter((owner) => owner > after).slice(0, limit);
      },
      remind: async (owner) => {
        if (owner === "U2") throw new Error("ratelimited");
        return owner === "U5" ? 0 : 2;
      },
      pageSize: 3,
      logger: createSilentLogger(),
      what: "test reminder",
    });
    expect(asked).toEqual(["", "U2", "U5"]);
    expect(run).toEqual({ owners: 5, reminded: 10, failedOwners: 1 });
  });
});
