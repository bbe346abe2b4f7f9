// Settings are parsed once: defaults, every bad value named (never its value), Slack mode chosen by tokens.
import { describe, expect, it } from "vitest";
import { loadConfig, loadCoreConfig } from "../src/config.ts";
import { isAppError } from "../src/errors.ts";

function messageOf(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    if (isAppError(error)) return error.userMessage;
    throw error;
  }
  throw new Error("expected a configuration error");
}

describe("config", () => {
  it("has working defaults for everything but Slack", () => {
    const config = loadCoreConfig({});
    expect(config).toMatchObject({
      databaseUrl: undefined,
      dataDir: "./data",
      timeZone: "UTC",
      defaultCurrency: "USD",
      reminderCron: "0 9 * * *",
      managersChannel: undefined,
      escalateAfterDays: 3,
      digestCron: "0 8 * * 1",
      responseTargets: { critical: 1, high: 3, medium: 7, low: 14 },
    });
    expect(Object.isFrozen(config)).toBe(true);
  });

  it("reads complaint response targets, keeping defaults for severities not given", () => {
    expect(loadCoreConfig({ COMPLAINT_RESPONSE_DAYS: "critical=2, low=30" }).responseTargets).toEqual({
      critical: 2,
      high: 3,
      medium: 7,
      low: 30,
    });
  });

  it("reads the managers' channel, the escalation delay and the digest schedule", () => {
    expect(
      loadCoreConfig({ MANAGERS_CHANNEL: " CMANAGERS ", ESCALATE_AFTER_DAYS: "5", DIGEST_CRON: "0 7 * * 5" }),
    ).toMatchObject({ managersChannel: "CMANAGERS", escalateAfterDays: 5, digestCron: "0 7 * * 5" });
    expect(loadCoreConfig({ MANAGERS_CHANNEL: "", ESCALATE_AFTER_DAYS: "" })).toMatchObject({
      managersChannel: undefined,
      escalateAfterDays: 3,
    });
  });

  it("refuses a bad managers' channel, escalation delay or digest schedule", () => {
    const message = messageOf(() =>
      loadCoreConfig({ MANAGERS_CHANNEL: "#managers", ESCALATE_AFTER_DAYS: "three", DIGEST_CRON: "weekly" }),
    );
    expect(message).toContain("MANAGERS_CHANNEL: must be a channel ID such as C0123456789");
    expect(message).toContain("ESCALATE_AFTER_DAYS: must be a number of days");
    expect(message).toContain("DIGEST_CRON: must be a cron expression");
    expect(messageOf(() => loadCoreConfig({ ESCALATE_AFTER_DAYS: "0" }))).toContain(
      "ESCALATE_AFTER_DAYS: must be at least 1 day",
    );
  });

  it("reads who the managers are and whether reps see their accounts' margin", () => {
    expect(loadCoreConfig({}).roles).toEqual({
      managerUserIds: [],
      managerGroupId: undefined,
      repsSeeMargin: false,
    });
    expect(
      loadCoreConfig({
        MANAGER_USER_IDS: "U01AAA, W02BBB U03CCC",
        MANAGER_GROUP_ID: "S0MANAGERS",
        REPS_SEE_MARGIN: "true",
      }).roles,
    ).toEqual({
      managerUserIds: ["U01AAA", "W02BBB", "U03CCC"],
      managerGroupId: "S0MANAGERS",
      repsSeeMargin: true,
    });
    const message = messageOf(() =>
      loadCoreConfig({
        MANAGER_USER_IDS: "U01AAA,@boss",
        MANAGER_GROUP_ID: "managers",
        REPS_SEE_MARGIN: "yes",
      }),
    );
    expect(message).toContain("MANAGER_USER_IDS.1: must be Slack user IDs such as U0123456789");
    expect(message).toContain("MANAGER_GROUP_ID: must be a user group ID such as S0123456789");
    expect(message).toContain("REPS_SEE_MARGIN: must be true or false");
    expect(message).not.toContain("@boss");
  });

  it("names each bad setting with what is expected", () => {
    const message = messageOf(() =>
      loadCoreConfig({
        TIME_ZONE: "Mars/Olympus",
        DEFAULT_CURRENCY: "euro",
        COMPLAINT_RESPONSE_DAYS: "urgent=1",
        REMINDER_CRON: "every morning",
        DATABASE_URL: "mysql://x",
        WARNINGS_CHANNEL: "#general",
      }),
    );
    expect(message).toContain("WARNINGS_CHANNEL: must be a channel ID such as C0123456789");
    expect(message).toContain("TIME_ZONE: must be an IANA time zone");
    expect(message).toContain("DEFAULT_CURRENCY: must be a three-letter ISO 4217 code");
    expect(message).toContain('COMPLAINT_RESPONSE_DAYS: "urgent=1" is not severity=days');
    expect(message).toContain("REMINDER_CRON: must be a cron expression");
    expect(message).toContain("DATABASE_URL: must be a postgresql:// URL");
  });

  it("chooses Socket Mode when an app token is given, HTTP otherwise", () => {
    expect(loadConfig({ SLACK_BOT_TOKEN: "xoxb-1", SLACK_APP_TOKEN: "xapp-1" }).slack.mode).toBe("socket");
    const http = loadConfig({ SLACK_BOT_TOKEN: "xoxb-1", SLACK_SIGNING_SECRET: "s", PORT: "8080" });
    expect(http.slack).toMatchObject({ mode: "http", port: 8080, signingSecret: "s" });
  });

  it("never repeats a secret in its messages", () => {
    const message = messageOf(() =>
      loadConfig({ SLACK_BOT_TOKEN: "xoxp-secret-value", SLACK_APP_TOKEN: "bad-secret-value" }),
    );
    expect(message).toContain("SLACK_BOT_TOKEN: must be a bot token");
    expect(message).toContain("SLACK_APP_TOKEN: must be an app-level token");
    expect(message).not.toContain("secret-value");
  });

  it("refuses a port that is not a number", () => {
    expect(
      messageOf(() => loadConfig({ SLACK_BOT_TOKEN: "xoxb-1", SLACK_APP_TOKEN: "xapp-1", PORT: "http" })),
    ).toContain("PORT: must be a port number");
  });
});
