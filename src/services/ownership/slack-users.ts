// Whether a Slack user id names a person in the workspace (users.info), for commands that name users.
import type { webApi } from "@slack/bolt";
import { AppError } from "../../errors.ts";

export type SlackUsersClient = Pick<webApi.WebClient, "users">;

export type SlackPerson = { id: string; deleted: boolean; isBot: boolean };

/** The user as Slack knows them; an id Slack does not know is a clear AppError. */
export async function slackPerson(slack: SlackUsersClient, userId: string): Promise<SlackPerson> {
  try {
    const answer = await slack.users.info({ user: userId });
    const user = answer.user;
    if (!user) throw new AppError("bad_request", `Slack knows no user <@${userId}>.`);
    return { id: userId, deleted: user.deleted === true, isBot: user.is_bot === true };
  } catch (error) {
    const code = (error as { data?: { error?: string } }).data?.error;
    if (code === "user_not_found" || code === "user_not_visible")
      throw new AppError(
        "bad_request",
        `Slack knows no user \`${userId}\`: mention them with @ or give their user ID (U…).`,
        {
          cause: error,
        },
      );
    throw error;
  }
}
