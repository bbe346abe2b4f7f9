// The bot's Web API client for work outside a request (jobs): rate limits are waited out, not thrown.
import { webApi } from "@slack/bolt";

/**
 * On HTTP 429 the client pauses for Retry-After and retries (up to about 30 minutes in all) instead
 * of failing, so a warning posted during a burst is delayed, not lost.
 */
export function createBotWebClient(botToken: string, apiUrl: string | undefined): webApi.WebClient {
  return new webApi.WebClient(botToken, {
    ...(apiUrl ? { slackApiUrl: apiUrl } : {}),
    rejectRateLimitedCalls: false,
    retryConfig: webApi.retryPolicies.tenRetriesInAboutThirtyMinutes,
  });
}
