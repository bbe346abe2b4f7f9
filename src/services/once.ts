// Idempotent creation: a record keyed by the Slack submission (view id) is created at most once.

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
