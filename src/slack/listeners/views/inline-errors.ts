// Modal input that fails its schema → Slack's inline errors: one message under each input at fault.
import type { z } from "zod";

/** `messages` by block id; an issue with no block of its own goes under `fallbackBlock`. */
export function inlineErrors(
  error: z.ZodError,
  messages: Record<string, string>,
  fallbackBlock: string,
): Record<string, string> {
  const errors: Record<string, string> = {};
  for (const issue of error.issues) {
    const block = String(issue.path[0] ?? fallbackBlock);
    errors[block] ??= messages[block] ?? "Check this value.";
  }
  return errors;
}
