// Runs scheduled jobs (node-cron) in the configured time zone; one run at a time across instances.
import cron, { type ScheduledTask } from "node-cron";
import type pg from "pg";
import type { Logger } from "../logger.ts";

export type Job = {
  name: string;
  /** Cron expression, read in the scheduler's time zone. */
  cron: string;
  run: (now: Date) => Promise<void>;
};

export type Scheduler = {
  /** Runs one job now, as the schedule would (tests and `churnwatch` commands use it). */
  runNow(name: string): Promise<boolean>;
  stop(): Promise<void>;
};

function lockKey(name: string): number {
  // A stable 31-bit key per job name for pg_try_advisory_lock.
  let hash = 7;
  for (const char of name) hash = (hash * 31 + char.charCodeAt(0)) | 0;
  return 710_000_000 + (Math.abs(hash) % 1_000_000);
}

/**
 * Several bot instances on one database each schedule every job: the advisory lock lets one of
 * them run it and the others skip, and jobs stay idempotent on their own besides.
 */
export function startScheduler(
  jobs: readonly Job[],
  options: { timeZone: string; logger: Logger; pool: pg.Pool; now: () => Date },
): Scheduler {
  const { logger, pool } = options;
  const byName = new Map(jobs.map((job) => [job.name, job]));

  async function runLocked(job: Job): Promise<boolean> {
    const client = await pool.connect();
    try {
      const { rows } = await client.query<{ locked: boolean }>("SELECT pg_try_advisory_lock($1) AS locked", [
        lockKey(job.name),
      ]);
      if (!rows[0]?.locked) {
        logger.info({ job: job.name }, "job already running elsewhere: skipped");
        return false;
      }
      const started = performance.now();
      try {
        await job.run(options.now());
        logger.info({ job: job.name, ms: Math.round(performance.now() - started) }, "job finished");
      } finally {
        await client.query("SELECT pg_advisory_unlock($1)", [lockKey(job.name)]);
      }
      return true;
    } finally {
      client.release();
    }
  }

  const tasks: ScheduledTask[] = jobs.map((job) =>
    cron.schedule(
      job.cron,
      async () => {
        await runLocked(job).catch((error: unknown) =>
          logger.error({ job: job.name, err: error }, "job failed"),
        );
      },
      { timezone: options.timeZone, noOverlap: true, name: job.name },
    ),
  );

  return {
    async runNow(name) {
      const job = byName.get(name);
      if (!job) throw new Error(`No job named ${name}`);
      return runLocked(job);
    },
    async stop() {
      await Promise.all(tasks.map((task) => task.destroy()));
    },
  };
}
