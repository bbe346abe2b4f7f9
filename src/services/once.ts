// A modal submission (its Slack view id) is carried out at most once, one of two ways: a form that
// creates one main record keeps the key on it (createOnce); any other form claims the key in the
// transaction that carries it out (claimSubmission).
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
