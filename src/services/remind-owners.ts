// The loop every reminder job shares: owners read a page at a time in id order, a few messaged at once;
// an owner whose message fails is logged and left for the next run, without holding back the others.
import type { Logger } from "../logger.ts";

export type ReminderRun = {
  /** Owners messaged. */
  owners: number;
  /** Items those messages covered (now marked reminded). */
  reminded: number;
  /** Owners whose message failed: their items stay due for the next run. */
  failedOwners: number;
};

/** Direct messages in flight at once (the Web API client queues and retries on rate limits). */
const CONCURRENCY = 10;

export async function remindEachOwner(input: {
  /** Up to `limit` owners with something due whose id sorts after `after`, in id order. */
  ownersAfter: (after: string, limit: number) => Promise<string[]>;
  /** Messages one owner; the number of items reminded (0: nothing was due after all). */
  remind: (owner: string) => Promise<number>;
  pageSize: number;
  logger: Logger;
  /** What is reminded, for the log: "follow-up reminder". */
  what: string;
}): Promise<ReminderRun> {
  const run: ReminderRun = { owners: 0, reminded: 0, failedOwners: 0 };
  let after = "";
  for (;;) {
    const owners = await input.ownersAfter(after, input.pageSize);
    for (let start = 0; start < owners.length; start += CONCURRENCY) {
      const batch = owners.slice(start, start + CONCURRENCY);
      const results = await Promise.allSettled(batch.map((owner) => input.remind(owner)));
      results.forEach((result, i) => {
        if (result.status === "rejected") {
          run.failedOwners += 1;
          input.logger.warn(
            { err: result.reason, owner: batch[i] },
            `${input.what} not sent; retried next run`,
          );
        } else if (result.value > 0) {
          run.owners += 1;
          run.reminded += result.value;
        }
      });
    }
    const last = owners.at(-1);
    if (owners.length < input.pageSize || last === undefined) break;
    after = last;
  }
  return run;
}
