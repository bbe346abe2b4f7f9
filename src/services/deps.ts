// What every use case gets injected: database handles, the clock and the calendar settings.
import type pg from "pg";
import type { ResponseTargets } from "../domain/complaints.ts";
import type { PrismaClient } from "../generated/prisma/client.ts";
import type { Logger } from "../logger.ts";

export type ServiceDeps = {
  prisma: PrismaClient;
  pool: pg.Pool;
  logger: Logger;
  now: () => Date;
  /** IANA zone whose calendar days and months the figures use. */
  timeZone: string;
  /** Days to resolve a complaint, by severity. */
  responseTargets: ResponseTargets;
};
