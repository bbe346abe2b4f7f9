// Idempotent creation: a record keyed by the Slack submission (view id) is created at most once.
import { createHash } from "node:crypto";
import type { Prisma } from "../generated/prisma/client.ts";

/** True for PostgreSQL's unique violation as Prisma reports it (P2002), optionally on one field. */
export function isUniqueViolation(error: unknown, field?: string): boolean {
  const e = error as {
    code?: string;
    meta?: {
      target?: unknown;
      driverAdapterError?: { cause?: { constraint?: { fields?: string[]; index?: string } } };
    };
  };
  if (e?.code !== "P2002") return false;
  if (!field) return true;
  // adapter-pg names the violated index (e.g. "warning_sign_submission_key_key"), not its fields.
  const constraint = e.meta?.driverAdapterError?.cause?.constraint;
  const named = [
    ...(constraint?.fields ?? []),
    constraint?.index ?? "",
    ...(Array.isArray(e.meta?.target) ? e.meta.target : []),
  ];
  return named.some((name) => String(name).includes(field));
}

/**
 * Runs `create`; if a record with the same submission key exists already (a replayed or double
 * submit), returns that one instead via `findExisting`. `created` tells which happened.
 */
export async function createOnce<T>(
  create: () => Promise<T>,
  findExisting: () => Promise<T | null>,
): Promise<{ record: T; created: boolean }> {
  try {
    return { record: await create(), created: true };
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
    const existing = await findExisting();
    if (!existing) throw error;
    return { record: existing, created: false };
  }
}

/**
 * A UUID derived from a submission key and a part name ("lesson:0"): records without a submission
 * key column of their own get these as ids, so a replayed submission meets the rows it made.
 * Version 8 (custom) with the RFC 9562 variant.
 */
export function submissionUuid(submissionKey: string, part: string): string {
  const hex = createHash("sha256").update(`${submissionKey}\u0000${part}`).digest("hex");
  const variant = ((Number.parseInt(hex.charAt(16), 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-8${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/**
 * Marks a submission as carried out, inside the transaction that carries it out; false when it already
 * was (a replayed or doubled submit: the caller changes nothing). A concurrent twin waits on the key
 * until the first transaction ends, then gets false, or true if the first rolled back.
 */
export async function claimSubmission(tx: Prisma.TransactionClient, submissionKey: string): Promise<boolean> {
  const { count } = await tx.processedSubmission.createMany({
    data: [{ key: submissionKey }],
    skipDuplicates: true,
  });
  return count === 1;
}
