// `churnwatch start` (npm start) without Slack settings: one clear message, exit 1, no stack, no secrets.
import { describe, expect, it } from "vitest";
import { runCli } from "../support/cli.ts";

describe("churnwatch start without Slack settings", () => {
  it("names every missing variable and points at README, before starting anything", async () => {
    const result = await runCli(["start"], { DATA_DIR: "/nonexistent/should-not-be-created" });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(
      "missing SLACK_BOT_TOKEN, SLACK_SIGNING_SECRET (or SLACK_APP_TOKEN for Socket Mode)",
    );
    expect(result.stderr).toContain('README, section "Connect to Slack"');
    expect(result.stderr).not.toMatch(/\n\s+at /);
    expect(result.stdout).toBe("");
  });

  it("never prints a token or secret it was given, even when another is missing or malformed", async () => {
    const result = await runCli(["start"], {
      SLACK_BOT_TOKEN: "xoxp-user-token-should-stay-secret",
      SLACK_SIGNING_SECRET: "signing-secret-should-stay-secret",
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("SLACK_BOT_TOKEN: must be a bot token (xoxb-…)");
    expect(result.stderr).not.toContain("should-stay-secret");
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });

  it("asks only for the bot token in Socket Mode", async () => {
    const result = await runCli(["start"], { SLACK_APP_TOKEN: "xapp-1-secret-app-token" });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("missing SLACK_BOT_TOKEN.");
    expect(result.stderr).not.toContain("secret-app-token");
  });
});
