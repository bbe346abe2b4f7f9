// The scheduler: one run of a job at a time across processes, failures released, the clock injected.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Job, startScheduler } from "../../src/jobs/scheduler.ts";
import { createSilentLogger } from "../../src/logger.ts";
import { createTestDatabase, type TestDatabase } from "../support/db.ts";

let db: TestDatabase;
const now = new Date("2026-11-23T09:00:00Z");

beforeAll(async () => {
  db = await createTestDatabase();
});

afterAll(async () => {
  await db?.drop();
});

function scheduler(jobs: Job[]) {
  return startScheduler(jobs, {
    timeZone: "Europe/Berlin",
    logger: createSilentLogger(),
    pool: db.pool,
    now: () => now,
  });
}

describe("scheduler", () => {
  it("runs a job now with the injected clock", async () => {
    const seen: Date[] = [];
    const s = scheduler([{ name: "probe", cron: "0 9 * * *", run: async (at) => void seen.push(at) }]);
    expect(await s.runNow("probe")).toBe(true);
    expect(seen).toEqual([now]);
    await s.stop();
  });

  it("skips a run while another instance holds the job", async () => {
    let release: () => void = () => {};
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    let runs = 0;
    let started: () => void = () => {};
    const running = new Promise<void>((resolve) => {
      started = resolve;
    });
    const job: Job = {
      name: "exclusive",
      cron: "0 9 * * *",
      run: async () => {
        runs += 1;
        started();
        await held;
      },
    };
    const first = scheduler([job]);
    const second = scheduler([job]);
    const firstRun = first.runNow("exclusive");
    await running;
    expect(await second.runNow("exclusive")).toBe(false);
    release();
    expect(await firstRun).toBe(true);
    expect(runs).toBe(1);
    // Released: the next run goes ahead.
    const third = second.runNow("exclusive");
    release();
    expect(await third).toBe(true);
    await first.stop();
    await second.stop();
  });

  it("releases the job when it fails, and says so", async () => {
    let attempts = 0;
    const s = scheduler([
      {
        name: "flaky",
        cron: "0 9 * * *",
        run: async () => {
          attempts += 1;
          throw new Error("boom");
        },
      },
    ]);
    await expect(s.runNow("flaky")).rejects.toThrow("boom");
    await expect(s.runNow("flaky")).rejects.toThrow("boom");
    expect(attempts).toBe(2);
    await expect(s.runNow("missing")).rejects.toThrow("No job named missing");
    await s.stop();
  });
});
