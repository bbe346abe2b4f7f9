// manifest.yml must pass Slack's own manifest schema and declare what the code registers.
import { readFileSync } from "node:fs";
import { Ajv } from "ajv";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { ids } from "../src/slack/ids.ts";

const schemaDir = new URL("./fixtures/slack-manifest-schema/", import.meta.url);
const readJson = (name: string) => JSON.parse(readFileSync(new URL(name, schemaDir), "utf8"));
const manifest = parse(readFileSync(new URL("../manifest.yml", import.meta.url), "utf8"));

function validator() {
  const ajv = new Ajv({ strict: false, allErrors: true });
  ajv.addFormat("uri", /^[a-z][a-z0-9+.-]*:\S+$/i);
  const base = "https://raw.githubusercontent.com/slackapi/manifest-schema/v0.5.0/schemas/";
  ajv.addSchema(readJson("manifest.schema.1.0.0.json"), `${base}manifest.schema.1.0.0.json`);
  ajv.addSchema(readJson("manifest.schema.2.0.0.json"), `${base}manifest.schema.2.0.0.json`);
  return ajv.compile(readJson("manifest.schema.json"));
}

describe("manifest.yml", () => {
  it("passes Slack's manifest JSON schema", () => {
    const validate = validator();
    const valid = validate(manifest);
    expect(validate.errors ?? []).toEqual([]);
    expect(valid).toBe(true);
  });

  it("is rejected by the same schema when broken, so the check above means something", () => {
    const validate = validator();
    const broken = structuredClone(manifest);
    broken.features.slash_commands[0].command = "customer without slash";
    broken.display_information.name = "";
    expect(validate(broken)).toBe(false);
  });

  it("declares the slash command the app listens to, with the scope it needs", () => {
    expect(manifest.features.slash_commands.map((c: { command: string }) => c.command)).toEqual([
      ids.command.customer,
    ]);
    expect(manifest.oauth_config.scopes.bot).toContain("commands");
    expect(manifest.settings.interactivity.is_enabled).toBe(true);
  });
});
