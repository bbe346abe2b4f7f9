// Checks the bot token once at start (auth.test) and keeps who the bot is, for Bolt's authorize.
import { webApi } from "@slack/bolt";
import type { SlackConfig } from "../config.ts";
import { AppError } from "../errors.ts";

export type BotIdentity = { botToken: string; botId: string; botUserId: string; teamId: string };

/**
 * Fails with a clear message instead of Bolt's own background auth.test, whose rejection
 * nothing handles (an invalid token would crash the process with a stack trace).
 */
export async function verifyBotToken(slack: SlackConfig): Promise<BotIdentity> {
  const client = new webApi.WebClient(slack.botToken, {
    ...(slack.apiUrl ? { slackApiUrl: slack.apiUrl } : {}),
    retryConfig: { retries: 2 },
  });
  try {
    const auth = await client.auth.test();
    if (!auth.bot_id || !auth.user_id || !auth.team_id) {
      throw new AppError(
        "config_invalid",
        "SLACK_BOT_TOKEN is not a bot token: use the Bot User OAuth Token (xoxb-…).",
      );
    }
    return { botToken: slack.botToken, botId: auth.bot_id, botUserId: auth.user_id, teamId: auth.team_id };
  } catch (error) {
    if (error instanceof AppError) throw error;
    const code = (error as { data?: { error?: string } }).data?.error;
    throw new AppError(
      "config_invalid",
      code
        ? `Slack rejected SLACK_BOT_TOKEN (${code}). Copy the Bot User OAuth Token again: see README, section "Connect to Slack".`
        : `Could not reach Slack at ${slack.apiUrl ?? "https://slack.com/api/"}: ${(error as Error).message}`,
      { cause: error },
    );
  }
}
