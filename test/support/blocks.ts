// Reading Block Kit back as text, so tests assert on what a person would see.
export type SlackBlock = { type: string; elements?: unknown[]; [key: string]: unknown };

function collect(value: unknown, out: string[]): void {
  if (Array.isArray(value)) {
    for (const item of value) collect(item, out);
  } else if (value && typeof value === "object") {
    const record = value as Record<string, unknown>;
    if (typeof record.text === "string") out.push(record.text);
    for (const [key, child] of Object.entries(record))
      if (key !== "text" || typeof child !== "string") collect(child, out);
  }
}

/** Every text in the blocks, in order, one per line. */
export function textOf(blocks: readonly SlackBlock[] | undefined): string {
  const out: string[] = [];
  collect(blocks ?? [], out);
  return out.join("\n");
}
