// Posts the short note of a key account's class change in its channel, once per change: a change saved
// but not yet posted (a crash, Slack down) is posted by the next run, and never twice.
import type { webApi } from "@slack/bolt";
import type { ClassFields } from "../../domain/classification.ts";
import type { SlackMessage } from "../../slack/views/account-card.ts";
import { slackErrorCode } from "../complaints/complaint-message.ts";
import type { ServiceDeps } from "../deps.ts";

export type ClassNote = {
  accountId: string;
  accountName: string;
  fromDay: string;
  current: ClassFields;
  previous: ClassFields;
};

export type ClassNoteRenderer = (note: ClassNote) => SlackMessage;
export type ClassNoteSlackClient = { chat: Pick<webApi.WebClient["chat"], "postMessage"> };

/** A change not posted within this many days is stale news: it is not posted any more. */
export const CLASS_NOTE_DAYS = 7;

type PendingRow = {
  id: string;
  account_id: string;
  name: string;
  channel_id: string;
  from_day: string;
  key_basis: ClassFields["keyBasis"];
  face: ClassFields["face"];
  relationship: ClassFields["relationship"];
  loyalty: ClassFields["loyalty"];
  loyalty_direction: ClassFields["loyaltyDirection"];
  p_key_basis: ClassFields["keyBasis"];
  p_face: ClassFields["face"];
  p_relationship: ClassFields["relationship"];
  p_loyalty: ClassFields["loyalty"];
  p_loyalty_direction: ClassFields["loyaltyDirection"];
};

/**
 * The newest class of each account with a channel, not yet announced, key now or key in the class
 * before it (a first classification is no change), from the last CLASS_NOTE_DAYS days. `forUpdate`
 * locks the row (skipping one another run holds) for the duration of a post.
 */
const PENDING = `
  SELECT c.id, c.account_id, a.name, a.channel_id, to_char(c.from_day, 'YYYY-MM-DD') AS from_day,
         c.key_basis::text AS key_basis, c.face::text AS face, c.relationship::text AS relationship,
         c.loyalty::text AS loyalty, c.loyalty_direction::text AS loyalty_direction,
         p.key_basis AS p_key_basis, p.face AS p_face, p.relationship AS p_relationship,
         p.loyalty AS p_loyalty, p.loyalty_direction AS p_loyalty_direction
    FROM account_class c
    JOIN account a ON a.id = c.account_id AND a.channel_id IS NOT NULL
    JOIN LATERAL (
      SELECT key_basis::text AS key_basis, face::text AS face, relationship::text AS relationship,
             loyalty::text AS loyalty, loyalty_direction::text AS loyalty_direction
        FROM account_class p
       WHERE p.account_id = c.account_id AND (p.created_at, p.id) < (c.created_at, c.id)
       ORDER BY p.created_at DESC, p.id DESC LIMIT 1
    ) p ON true
   WHERE c.announced_at IS NULL AND c.created_at > now() - make_interval(days => $1::int) AND ($2::uuid IS NULL OR c.id = $2)
     AND ($3::uuid IS NULL OR c.account_id = $3)
     AND (c.key_basis IS NOT NULL OR p.key_basis IS NOT NULL)
     AND NOT EXISTS (
       SELECT 1 FROM account_class n
        WHERE n.account_id = c.account_id AND (n.created_at, n.id) > (c.created_at, c.id)
     )`;

function noteOf(row: PendingRow): ClassNote {
  return {
    accountId: row.account_id,
    accountName: row.name,
    fromDay: row.from_day,
    current: {
      keyBasis: row.key_basis,
      face: row.face,
      relationship: row.relationship,
      loyalty: row.loyalty,
      loyaltyDirection: row.loyalty_direction,
    },
    previous: {
      keyBasis: row.p_key_basis,
      face: row.p_face,
      relationship: row.p_relationship,
      loyalty: row.p_loyalty,
      loyaltyDirection: row.p_loyalty_direction,
    },
  };
}

/** Posts one note holding its row locked: another run skips it, a crash before the commit leaves it pending. */
async function postOne(
  deps: ServiceDeps,
  input: { slack: ClassNoteSlackClient; render: ClassNoteRenderer },
  id: string,
  since: number,
): Promise<"posted" | "skipped" | "failed"> {
  const client = await deps.pool.connect();
  try {
    await client.query("BEGIN");
    const locked = await client.query<{ id: string }>(
      "SELECT id FROM account_class WHERE id = $1 AND announced_at IS NULL FOR UPDATE SKIP LOCKED",
      [id],
    );
    const { rows } =
      locked.rowCount === 1 ? await client.query<PendingRow>(PENDING, [since, id, null]) : { rows: [] };
    const row = rows[0];
    if (!row) {
      await client.query("ROLLBACK");
      return "skipped";
    }
    try {
      await input.slack.chat.postMessage({ channel: row.channel_id, ...input.render(noteOf(row)) });
    } catch (error) {
      await client.query("ROLLBACK");
      deps.logger.warn(
        { accountId: row.account_id, slackError: slackErrorCode(error) ?? "request_failed" },
        "posting a class-change note failed: tried again on the next run",
      );
      return "failed";
    }
    await client.query("UPDATE account_class SET announced_at = $2 WHERE id = $1", [id, deps.now()]);
    await client.query("COMMIT");
    return "posted";
  } catch (error) {
    await client.query("ROLLBACK").catch(() => {});
    throw error;
  } finally {
    client.release();
  }
}

/** Posts every pending class-change note (or those of one account). */
export async function postClassNotes(
  deps: ServiceDeps,
  input: { slack: ClassNoteSlackClient; render: ClassNoteRenderer; accountId?: string },
): Promise<{ posted: number; failed: number }> {
  // Rows carry the database's clock: the window is counted on it too.
  const since = CLASS_NOTE_DAYS;
  const { rows } = await deps.pool.query<PendingRow>(`${PENDING} ORDER BY c.created_at, c.id`, [
    since,
    null,
    input.accountId ?? null,
  ]);
  const result = { posted: 0, failed: 0 };
  for (const row of rows) {
    const outcome = await postOne(deps, input, row.id, since);
    if (outcome === "posted") result.posted += 1;
    if (outcome === "failed") result.failed += 1;
  }
  if (rows.length > 0) deps.logger.info(result, "class-change notes posted");
  return result;
}
