// What the record modals (interaction, complaint, sign) are opened with, and their private_metadata.
import { z } from "zod";
import type { ContactRole } from "../../domain/account-card.ts";

export type RecordKind = "interaction" | "complaint" | "sign";

export type FormContact = { id: string; name: string; role: ContactRole };

/** Text and link of the Slack message a record is logged from (message shortcut). */
export type RecordPrefill = { text?: string | undefined; permalink?: string | undefined };

export type RecordForm = {
  account: { id: string; name: string; ownerSlackId: string | null };
  /** Current contacts of the account, purchasing first. */
  contacts: FormContact[];
  /** YYYY-MM-DD in the configured time zone: the default date. */
  today: string;
  /** Who opens the modal: the default owner of follow-ups and complaints. */
  userId: string;
  prefill: RecordPrefill;
};

/** Longest source link carried; Slack permalinks are far shorter, so a longer one is not Slack's. */
const MAX_PERMALINK = 1000;

/** Carried through the modal (≤ 3000 characters): which account, and the source message link. */
export const ZRecordMetadata = z.object({
  accountId: z.uuid(),
  permalink: z.url().max(MAX_PERMALINK).optional(),
});
export type RecordMetadata = z.infer<typeof ZRecordMetadata>;

export function recordMetadata(form: RecordForm): string {
  const { permalink } = form.prefill;
  const metadata: RecordMetadata = {
    accountId: form.account.id,
    ...(permalink && permalink.length <= MAX_PERMALINK ? { permalink } : {}),
  };
  return JSON.stringify(metadata);
}

export function parseRecordMetadata(privateMetadata: string): RecordMetadata {
  return ZRecordMetadata.parse(JSON.parse(privateMetadata));
}
