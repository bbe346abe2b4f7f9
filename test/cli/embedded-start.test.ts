// `npm start` exactly as a new user runs it: no DATABASE_URL, the embedded PostgreSQL in DATA_DIR,
// a CLI import joining the running bot's server, and a clean stop on SIGTERM.
import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { existsSync } from "node:fs";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type SlackBlock, textOf } from "../support/blocks.ts";
import { binPath, runCli } from "../support/cli.ts";
import { type FakeSlack, startFakeSlack } from "../support/fake-slack.ts";
import { postSlashCommand } from "../support/slack-requests.ts";

const SECRET = "embedded-start-signing-secret";
let dataDir: string;
let fake: FakeSlack;
let bot: ChildProcess;
let baseUrl: string;
let output = "";

async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const address = server.address();
  server.close();
  return typeof address === "object" && address ? address.port : 0;
}

/** Resolves when the bot's output contains `text` (no sleeping: it listens to the stream). */
function outputContains(text: string, timeoutMs = 60_000): Promise<void> {
  return new Promise((resolve, reject) => {
    if (output.includes(text)) return resolve();
    const timer = setTimeout(() => reject(new Error(`bot never printed ${text}:\n${output}`)), timeoutMs);
    const check = () => {
      if (!output.includes(text)) return;
      clearTimeout(timer);
      bot.stdout?.off("data", check);
      resolve();
    };
    bot.stdout?.on("data", check);
  });
}

function postmasterPid(serverJson: string): number {
  return (JSON.parse(serverJson) as { pid: number }).pid;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), "churnwatch-start-"));
  fake = await startFakeSlack();
  const port = await freePort();
  baseUrl = `http://127.0.0.1:${port}`;
  bot = spawn(process.execPath, [binPath, "start"], {
    env: {
      PATH: process.env.PATH ?? "",
      HOME: process.env.HOME ?? "",
      SLACK_BOT_TOKEN: "xoxb-embedded-start",
      SLACK_SIGNING_SECRET: SECRET,
      SLACK_API_URL: fake.apiUrl,
      PORT: String(port),
      DATA_DIR: dataDir,
      LOG_LEVEL: "info",
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  bot.stdout?.on("data", (chunk) => {
    output += chunk;
  });
  bot.stderr?.on("data", (chunk) => {
    output += chunk;
  });
  await outputContains('"msg":"Slack app started"', 120_000);
}, 180_000);

afterAll(async () => {
  if (bot && bot.exitCode === null) bot.kill("SIGKILL");
  await fake?.close();
  await rm(dataDir, { recursive: true, force: true });
});

describe("npm start on the embedded database", () => {
  it("runs PostgreSQL under DATA_DIR on a unix socket and answers /healthz", async () => {
    const serverJson = await readFile(path.join(dataDir, "server.json"), "utf8");
    expect(isAlive(postmasterPid(serverJson))).toBe(true);
    expect(existsSync(path.join(dataDir, "pg", "PG_VERSION"))).toBe(true);
    expect((await readFile(path.join(dataDir, "pg", "PG_VERSION"), "utf8")).trim()).toBe("15");
    const res = await fetch(`${baseUrl}/healthz`);
    expect(res.status).toBe(200);
    expect(output).not.toContain("xoxb-embedded-start");
    expect(output).not.toContain(SECRET);
  });

  it("lets `churnwatch import` join the running bot's database, and /customer sees the rows", async () => {
    const csv = path.join(dataDir, "accounts.csv");
    await writeFile(
      csv,
      "external_id,name,aliases\nE-1,Embedded Example AG,Embex\nE-2,上海示例贸易有限公司,\n",
    );
    const serverBefore = await readFile(path.join(dataDir, "server.json"), "utf8");
    const imported = await runCli(["import", "accounts", csv], { DATA_DIR: dataDir });
    expect(imported.stderr).not.toMatch(/error|warn/i);
    expect(imported.stdout).toContain("Imported 2 accounts from accounts.csv");
    expect(imported.code).toBe(0);
    // Same server as before: the CLI joined and did not stop it on leaving.
    const serverAfter = await readFile(path.join(dataDir, "server.json"), "utf8");
    expect(postmasterPid(serverAfter)).toBe(postmasterPid(serverBefore));
    expect(isAlive(postmasterPid(serverAfter))).toBe(true);

    const responseUrl = fake.responseUrl("embedded");
    const res = await postSlashCommand(baseUrl, SECRET, {
      command: "/customer",
      text: "上海示例",
      response_url: responseUrl,
    });
    expect(res.status).toBe(200);
    const answer = await fake.waitFor("response_url", (c) => c.responseId === "embedded");
    expect(textOf(answer.body.blocks as SlackBlock[])).toContain("上海示例贸易有限公司");
  });

  it("stops cleanly on SIGTERM: exit code 0 and PostgreSQL stopped", async () => {
    const pid = postmasterPid(await readFile(path.join(dataDir, "server.json"), "utf8"));
    bot.kill("SIGTERM");
    const [code] = (await once(bot, "exit")) as [number | null];
    expect(code).toBe(0);
    expect(isAlive(pid)).toBe(false);
  });
});
