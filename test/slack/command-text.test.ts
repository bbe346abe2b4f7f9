// Slash command text as Slack sends it with should_escape: mentions, channels, links and escapes.
import { describe, expect, it } from "vitest";
import { plainCommandText, takeUsers, userIdOf } from "../../src/slack/listeners/commands/command-text.ts";
import { parseOwnershipCommand } from "../../src/slack/listeners/commands/customer-ownership.ts";

describe("plainCommandText", () => {
  it.each([
    ["AT&amp;T", "AT&T"],
    ["lessons price &lt;10%&gt;", "lessons price <10%>"],
    ["sign acme <@U123ABC|maria> said", "sign acme @maria said"],
    ["log acme <@U123ABC>", "log acme @U123ABC"],
    ["log <#C0ACME|acme-team>", "log #acme-team"],
    ["see <https://example.com/x|the page> now", "see the page now"],
    ["see <https://example.com/x>", "see https://example.com/x"],
    ["<!subteam^S123|@sales> ping", "@sales ping"],
    ["acme corp", "acme corp"],
  ])("%s → %s", (escaped, plain) => {
    expect(plainCommandText(escaped)).toBe(plain);
  });
});

describe("users in command text", () => {
  it("reads escaped mentions and raw user ids, nothing else", () => {
    expect(userIdOf("<@U123ABC|maria>")).toBe("U123ABC");
    expect(userIdOf("<@W123ABC>")).toBe("W123ABC");
    expect(userIdOf("U123ABC")).toBe("U123ABC");
    expect(userIdOf("@maria")).toBeNull();
    expect(userIdOf("<#C123ABC|x>")).toBeNull();
    expect(userIdOf("u123abc")).toBeNull();
  });

  it("takes the users first and leaves the rest as plain text, a spaced display name included", () => {
    expect(takeUsers("<@U1AA|Ann Lee> <@U2BB|bo> ACME &amp; Co, Northwind", 2)).toEqual({
      ok: true,
      userIds: ["U1AA", "U2BB"],
      rest: "ACME & Co, Northwind",
    });
    expect(takeUsers("<@U1AA|ann>", 2)).toEqual({ ok: false, word: null, position: 1 });
    expect(takeUsers("maria <@U2BB|bo>", 2)).toEqual({ ok: false, word: "maria", position: 0 });
  });

  it("knows the ownership subcommands and nothing else", () => {
    expect(parseOwnershipCommand("handover <@U1AA|a> <@U2BB|b> acme")).toEqual({
      kind: "handover",
      args: "<@U1AA|a> <@U2BB|b> acme",
    });
    expect(parseOwnershipCommand("REP-LEAVING U1AA")).toEqual({ kind: "rep-leaving", args: "U1AA" });
    expect(parseOwnershipCommand("handover")).toEqual({ kind: "handover", args: "" });
    expect(parseOwnershipCommand("handovers inc")).toBeNull();
    expect(parseOwnershipCommand("acme handover")).toBeNull();
  });
});
