// Embedded PostgreSQL start-or-join: real servers, real child processes (test/db/fixtures/embedded-user.ts), temp DATA_DIRs.
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import {
  type EmbeddedLogger,
  readEmbeddedServerFile,
  startOrJoinEmbeddedPostgres,
} from "../../src/db/embedded.ts";
import { AppError } from "../../src/errors.ts";

const repoRoot = fileURLToPath(new URL("../..", import.meta.url));
const fixture = fileURLToPath(new URL("./fixtures/embedded-user.ts", import.meta.url));
const TEST_TIMEOUT = 60_000;
const isRoot = process.getuid?.() === 0;

// ----------------------------------------------------------------------------------------------------------------
// Helpers

type LogEntry = { level: string; msg: string } & Record<string, unknown>;

function recordingLogger(): { logger: EmbeddedLogger; entries: LogEntry[] } {
  const entries: LogEntry[] = [];
  const at = (level: string) => (details: Record<string, unknown>, msg: string) => {
    entries.push({ ...details, level, msg });
  };
  return { logger: { debug: at("debug"), info: at("info"), warn: at("warn"), error: at("error") }, entries };
}

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function accountOf(name: string): { uid: number; gid: number } | null {
  const result = spawnSync("getent", ["passwd", name], { encoding: "utf8" });
  if (result.status !== 0) return null;
  const fields = result.stdout.split(":");
  return { uid: Number(fields[2]), gid: Number(fields[3]) };
}

function procStatus(pid: number): { state: string; uid: number; session: number } | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    const uidLine = /^Uid:\s+(\d+)/m.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    if (!fields[0] || !uidLine?.[1]) return null;
    return { state: fields[0], uid: Number(uidLine[1]), session: Number(fields[3]) };
  } catch {
    return null;
  }
}

function alive(pid: number): boolean {
  const status = procStatus(pid);
  return status !== null && status.state !== "Z";
}

/** Every process whose working directory is DATA_DIR/pg (the postmaster and its children, orphans included). */
async function serverProcesses(dataDir: string): Promise<number[]> {
  const pgData = path.join(await fs.realpath(dataDir), "pg");
  const pids: number[] = [];
  for (const entry of await fs.readdir("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    if ((await fs.readlink(`/proc/${entry}/cwd`).catch(() => "")) === pgData && alive(Number(entry))) {
      pids.push(Number(entry));
    }
  }
  return pids;
}

async function waitFor(what: string, condition: () => Promise<boolean> | boolean, timeoutMs = 20_000) {
  const until = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** A temp DATA_DIR; afterwards every server process in it is killed and the directory removed. */
async function tempDataDir(options: { owner?: { uid: number; gid: number }; suffix?: string } = {}) {
  const base = await fs.mkdtemp(path.join(os.tmpdir(), "cw-embedded-"));
  const dataDir = options.suffix ? path.join(base, options.suffix) : base;
  await fs.mkdir(dataDir, { recursive: true });
  if (options.owner) await fs.chown(dataDir, options.owner.uid, options.owner.gid);
  cleanups.push(async () => {
    const server = await readEmbeddedServerFile(dataDir);
    for (const pid of await serverProcesses(dataDir)) process.kill(pid, "SIGKILL");
    await waitFor("server processes to go", async () => (await serverProcesses(dataDir)).length === 0);
    if (server?.socketInTemp) await fs.rm(server.socketDir, { recursive: true, force: true });
    await fs.rm(base, { recursive: true, force: true });
  });
  return dataDir;
}

let template: Promise<string> | undefined;
afterAll(async () => {
  if (template) await fs.rm(await template, { recursive: true, force: true });
});

/** A temp DATA_DIR holding a copy of a cluster initialised once per file (initdb is the slow part of a start). */
async function initialisedDataDir(options: { suffix?: string } = {}): Promise<string> {
  template ??= (async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), "cw-embedded-template-"));
    const db = await startOrJoinEmbeddedPostgres({ dataDir: dir, logger: recordingLogger().logger });
    await db.release();
    return dir;
  })();
  const dataDir = await tempDataDir(options);
  const copied = spawnSync("cp", ["-a", path.join(await template, "pg"), path.join(dataDir, "pg")]);
  if (copied.status !== 0) throw new Error(`copying the template cluster failed: ${copied.stderr}`);
  return dataDir;
}

async function query(url: string, sql: string, params: unknown[] = []): Promise<Record<string, unknown>[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(sql, params)).rows;
  } finally {
    await client.end();
  }
}

type UserEvent = { event: string } & Record<string, unknown>;

/** A child node process running the fixture: sends commands, awaits its events in order. */
class UserProcess {
  readonly child: ChildProcess;
  readonly stderr: string[] = [];
  private readonly events: UserEvent[] = [];
  private notify: (() => void) | undefined;
  private exitCode: number | null | undefined;

  constructor(
    dataDir: string,
    options: { waitForGo?: boolean; account?: { uid: number; gid: number } } = {},
  ) {
    const env: NodeJS.ProcessEnv = { ...process.env, EMBEDDED_USER_WAIT: options.waitForGo ? "1" : "0" };
    delete env.DATABASE_URL;
    if (options.account) env.HOME = dataDir;
    this.child = spawn(process.execPath, ["--import", "tsx", fixture, dataDir], {
      cwd: repoRoot,
      env,
      stdio: ["pipe", "pipe", "pipe"],
      ...(options.account ?? {}),
    });
    createInterface({ input: this.child.stdout as NodeJS.ReadableStream }).on("line", (line) => {
      try {
        this.events.push(JSON.parse(line) as UserEvent);
      } catch {
        this.stderr.push(`stdout: ${line}`);
      }
      this.notify?.();
    });
    createInterface({ input: this.child.stderr as NodeJS.ReadableStream }).on("line", (line) => {
      this.stderr.push(line);
    });
    this.child.on("exit", (code) => {
      this.exitCode = code;
      this.notify?.();
    });
    cleanups.push(async () => {
      if (this.exitCode === undefined) {
        this.child.kill("SIGKILL");
        await waitFor("fixture to exit", () => this.exitCode !== undefined);
      }
    });
  }

  get pid(): number {
    return this.child.pid ?? -1;
  }

  /** Logs the fixture wrote (pino JSON lines on stderr). */
  logMessages(): string[] {
    return this.stderr.flatMap((line) => {
      try {
        return [String((JSON.parse(line) as { msg?: unknown }).msg)];
      } catch {
        return [];
      }
    });
  }

  async next(event: string, timeoutMs = 45_000): Promise<UserEvent> {
    const until = Date.now() + timeoutMs;
    for (;;) {
      const index = this.events.findIndex(
        (candidate) => candidate.event === event || candidate.event === "error",
      );
      const found = this.events[index];
      if (found) {
        this.events.splice(0, index + 1);
        if (found.event === "error") throw new Error(`fixture ${this.pid} failed: ${String(found.message)}`);
        return found;
      }
      if (this.exitCode !== undefined) {
        throw new Error(
          `fixture ${this.pid} exited (${this.exitCode}) before "${event}":\n${this.stderr.join("\n")}`,
        );
      }
      const remaining = until - Date.now();
      if (remaining <= 0)
        throw new Error(`fixture ${this.pid}: no "${event}" in time:\n${this.stderr.join("\n")}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, remaining);
        this.notify = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
  }

  /** Every event received so far with this name (without consuming them). */
  seen(event: string): UserEvent[] {
    return this.events.filter((candidate) => candidate.event === event);
  }

  send(command: Record<string, unknown>): void {
    this.child.stdin?.write(`${JSON.stringify(command)}\n`);
  }

  async query(sql: string, params: unknown[] = []): Promise<Record<string, unknown>[]> {
    this.send({ cmd: "query", sql, params });
    return (await this.next("rows")).rows as Record<string, unknown>[];
  }

  async release(): Promise<void> {
    this.send({ cmd: "release" });
    await this.next("released");
    await waitFor("fixture to exit", () => this.exitCode !== undefined);
  }

  async kill9(): Promise<void> {
    this.child.kill("SIGKILL");
    await waitFor("fixture to die", () => this.exitCode !== undefined);
  }
}

async function expectStopped(dataDir: string, serverPid: number, socketDir: string) {
  expect(alive(serverPid)).toBe(false);
  expect(await serverProcesses(dataDir)).toEqual([]);
  expect(existsSync(path.join(socketDir, ".s.PGSQL.5432"))).toBe(false);
  expect(existsSync(path.join(dataDir, "server.json"))).toBe(false);
  expect(existsSync(path.join(dataDir, "pg", "postmaster.pid"))).toBe(false);
}

/** The account the server must run as: PostgreSQL refuses root, so root hands it to the OS user postgres. */
function expectedServerUid(): number {
  if (!isRoot) return process.getuid?.() ?? -1;
  const account = accountOf("postgres");
  if (!account) throw new Error("no OS user postgres after a start as root");
  return account.uid;
}

// ----------------------------------------------------------------------------------------------------------------

describe("startOrJoinEmbeddedPostgres", () => {
  it(
    "initialises a fresh DATA_DIR, serves churnwatch over a unix socket only, and the last release stops it",
    async () => {
      const dataDir = await tempDataDir();
      const { logger, entries } = recordingLogger();
      const db = await startOrJoinEmbeddedPostgres({ dataDir, logger });
      expect(db.role).toBe("started");
      expect(db.initialised).toBe(true);
      expect(db.socketDir).toBe(path.join(dataDir, "pg-run"));
      expect(db.url).toBe(
        `postgresql://postgres@localhost:5432/churnwatch?host=${encodeURIComponent(path.join(dataDir, "pg-run"))}`,
      );
      expect(await readEmbeddedServerFile(dataDir)).toMatchObject({
        pid: db.serverPid,
        socketDir: db.socketDir,
        port: 5432,
        database: "churnwatch",
        user: "postgres",
        startedBy: process.pid,
        socketInTemp: false,
      });
      expect(entries.filter((entry) => entry.msg === "initialised embedded PostgreSQL cluster")).toHaveLength(
        1,
      );
      expect(entries).toContainEqual(
        expect.objectContaining({ msg: "started embedded PostgreSQL", role: "started" }),
      );

      const [settings] = await query(
        db.url,
        `SELECT current_database() AS db, current_user AS who, current_setting('server_encoding') AS encoding,
                current_setting('lc_collate') AS collate, current_setting('data_checksums') AS checksums,
                current_setting('listen_addresses') AS tcp`,
      );
      expect(settings).toEqual({
        db: "churnwatch",
        who: "postgres",
        encoding: "UTF8",
        collate: "C.UTF-8",
        checksums: "on",
        tcp: "",
      });

      // Prisma's pg adapter takes the same URL.
      const adapter = await new PrismaPg({ connectionString: db.url }).connect();
      try {
        const result = await adapter.queryRaw({
          sql: "SELECT current_database() AS db",
          args: [],
          argTypes: [],
        });
        expect(result.rows).toEqual([["churnwatch"]]);
      } finally {
        await adapter.dispose();
      }

      // Detached: the postmaster leads its own session, and runs as the right OS user.
      const status = procStatus(db.serverPid);
      expect(status?.session).toBe(db.serverPid);
      expect(status?.uid).toBe(expectedServerUid());
      expect((await fs.stat(path.join(dataDir, "pg"))).uid).toBe(expectedServerUid());

      await db.release();
      await expectStopped(dataDir, db.serverPid, db.socketDir);
      expect(entries).toContainEqual(
        expect.objectContaining({ msg: "stopped embedded PostgreSQL: no Churnwatch process uses it" }),
      );
      await db.release(); // idempotent

      // The existing cluster starts again without initdb and kept its data directory.
      const again = await startOrJoinEmbeddedPostgres({ dataDir, logger });
      expect(again).toMatchObject({ role: "started", initialised: false });
      expect(again.serverPid).not.toBe(db.serverPid);
      expect(await query(again.url, "SELECT 1 AS one")).toEqual([{ one: 1 }]);
      await again.release();
      await expectStopped(dataDir, again.serverPid, again.socketDir);
    },
    TEST_TIMEOUT,
  );

  it(
    "lets a second process join the same server; a non-last release keeps it running",
    async () => {
      const dataDir = await initialisedDataDir();
      const { logger } = recordingLogger();
      const db = await startOrJoinEmbeddedPostgres({ dataDir, logger });
      await query(db.url, "CREATE TABLE shared (who text)");
      await query(db.url, "INSERT INTO shared VALUES ('parent')");

      const user = new UserProcess(dataDir);
      const ready = await user.next("ready");
      expect(ready).toMatchObject({
        role: "joined",
        initialised: false,
        serverPid: db.serverPid,
        url: db.url,
      });
      expect(await user.query("SELECT who FROM shared")).toEqual([{ who: "parent" }]);
      await user.query("INSERT INTO shared VALUES ('child')");
      expect(await query(db.url, "SELECT who FROM shared ORDER BY who")).toEqual([
        { who: "child" },
        { who: "parent" },
      ]);

      await user.release();
      expect(user.logMessages()).toContain("left embedded PostgreSQL running for other Churnwatch processes");
      expect(alive(db.serverPid)).toBe(true);
      expect(await query(db.url, "SELECT count(*)::int AS n FROM shared")).toEqual([{ n: 2 }]);

      await db.release();
      await expectStopped(dataDir, db.serverPid, db.socketDir);
    },
    TEST_TIMEOUT,
  );

  it(
    "stops the server a CLI-like process started once its last user releases, not before",
    async () => {
      const dataDir = await initialisedDataDir();
      // Alone, a command starts the server and stops it when it finishes.
      const alone = new UserProcess(dataDir);
      const aloneReady = await alone.next("ready");
      expect(aloneReady.role).toBe("started");
      await alone.release();
      expect(alive(Number(aloneReady.serverPid))).toBe(false);
      expect(await serverProcesses(dataDir)).toEqual([]);

      // Started by the command, joined by an app: the command's release leaves it to the app.
      const cli = new UserProcess(dataDir);
      const cliReady = await cli.next("ready");
      expect(cliReady.role).toBe("started");
      const { logger } = recordingLogger();
      const app = await startOrJoinEmbeddedPostgres({ dataDir, logger });
      expect(app).toMatchObject({ role: "joined", serverPid: cliReady.serverPid });
      await cli.release();
      expect(alive(app.serverPid)).toBe(true);
      expect(await query(app.url, "SELECT 1 AS one")).toEqual([{ one: 1 }]);
      await app.release();
      await expectStopped(dataDir, app.serverPid, app.socketDir);
      expect(await fs.readdir(path.join(dataDir, "pg-users"))).toEqual([]);
    },
    TEST_TIMEOUT,
  );

  it(
    "serialises concurrent starts on an empty DATA_DIR: one initdb, one server, everyone else joins",
    async () => {
      const dataDir = await tempDataDir();
      const users = Array.from({ length: 5 }, () => new UserProcess(dataDir, { waitForGo: true }));
      await Promise.all(users.map((user) => user.next("loaded")));
      for (const user of users) user.send({ cmd: "go" });
      const ready = await Promise.all(users.map((user) => user.next("ready")));

      expect(ready.filter((event) => event.role === "started")).toHaveLength(1);
      expect(ready.filter((event) => event.role === "joined")).toHaveLength(4);
      expect(ready.filter((event) => event.initialised === true)).toHaveLength(1);
      const initdbRuns = users
        .flatMap((user) => user.logMessages())
        .filter((msg) => msg.includes("initialised"));
      expect(initdbRuns).toHaveLength(1);
      const serverPid = Number(ready[0]?.serverPid);
      expect(new Set(ready.map((event) => event.serverPid))).toEqual(new Set([serverPid]));
      // One postmaster: every process on the data directory is it or one of its children.
      const processes = await serverProcesses(dataDir);
      expect(processes).toContain(serverPid);
      for (const pid of processes) {
        const stat = await fs.readFile(`/proc/${pid}/stat`, "utf8").catch(() => undefined);
        if (stat === undefined) continue; // a short-lived worker that has exited since
        const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
        expect(pid === serverPid || ppid === serverPid).toBe(true);
      }

      const [first] = users;
      if (!first) throw new Error("no users");
      await first.query("CREATE TABLE seen (pid int)");
      for (const user of users) await user.query("INSERT INTO seen VALUES ($1)", [user.pid]);
      for (const user of users) {
        expect(await user.query("SELECT count(*)::int AS n FROM seen")).toEqual([{ n: users.length }]);
      }

      await Promise.all(users.map((user) => user.release()));
      expect(alive(serverPid)).toBe(false);
      expect(await serverProcesses(dataDir)).toEqual([]);
      expect(await fs.readdir(path.join(dataDir, "pg-users"))).toEqual([]);
    },
    TEST_TIMEOUT,
  );

  it(
    "after kill -9 of the process that started it, the server lives on and the next start joins it",
    async () => {
      const dataDir = await initialisedDataDir();
      const owner = new UserProcess(dataDir);
      const ownerReady = await owner.next("ready");
      expect(ownerReady.role).toBe("started");
      await owner.query("CREATE TABLE kept (id int)");
      await owner.query("INSERT INTO kept SELECT generate_series(1, 3)");
      await owner.kill9();
      expect(alive(Number(ownerReady.serverPid))).toBe(true);

      const { logger } = recordingLogger();
      const db = await startOrJoinEmbeddedPostgres({ dataDir, logger });
      expect(db).toMatchObject({ role: "joined", serverPid: ownerReady.serverPid });
      expect(await query(db.url, "SELECT count(*)::int AS n FROM kept")).toEqual([{ n: 3 }]);
      // The dead owner's registration does not keep the server alive.
      await db.release();
      await expectStopped(dataDir, db.serverPid, db.socketDir);
    },
    TEST_TIMEOUT,
  );

  it(
    "after kill -9 of the process and of postgres during writes, the next start recovers every committed row",
    async () => {
      const dataDir = await initialisedDataDir();
      const writer = new UserProcess(dataDir);
      const writerReady = await writer.next("ready");
      const crashedPid = Number(writerReady.serverPid);
      await writer.query("CREATE TABLE ledger (id int PRIMARY KEY)");
      writer.send({ cmd: "writeLoop", table: "ledger" });
      await waitFor("200 commits", () => writer.seen("committed").length >= 200);
      process.kill(crashedPid, "SIGKILL");
      await writer.kill9();
      const acknowledged = writer.seen("committed").map((event) => Number(event.id));
      const lastAcknowledged = Math.max(...acknowledged);
      expect(lastAcknowledged).toBeGreaterThanOrEqual(200);

      const { logger, entries } = recordingLogger();
      const db = await startOrJoinEmbeddedPostgres({ dataDir, logger });
      expect(db).toMatchObject({ role: "started", initialised: false });
      expect(db.serverPid).not.toBe(crashedPid);
      expect(entries).toContainEqual(
        expect.objectContaining({
          msg: "embedded PostgreSQL recovered from an unclean shutdown (WAL replayed)",
        }),
      );
      const [row] = await query(
        db.url,
        "SELECT count(*)::int AS n, max(id) AS top FROM ledger WHERE id <= $1",
        [lastAcknowledged],
      );
      expect(row).toEqual({ n: lastAcknowledged, top: lastAcknowledged });
      await db.release();
      await expectStopped(dataDir, db.serverPid, db.socketDir);
    },
    TEST_TIMEOUT,
  );

  it(
    "recovers from stale files: dead pids, a postmaster.pid whose pid was reused, a lock left by a dead process",
    async () => {
      const dataDir = await initialisedDataDir();
      const { logger, entries } = recordingLogger();
      const first = await startOrJoinEmbeddedPostgres({ dataDir, logger });
      await query(first.url, "CREATE TABLE survivor (id int)");
      const postmasterPid = await fs.readFile(path.join(dataDir, "pg", "postmaster.pid"), "utf8");
      const serverFile = await fs.readFile(path.join(dataDir, "server.json"), "utf8");
      await first.release();

      const exited = spawnSync("true");
      const deadPid = exited.pid;
      // Owned by the server's OS user, so postgres itself would take it for a live postmaster.
      const serverAccount = isRoot ? accountOf("postgres") : null;
      const impostor = spawn("sleep", ["120"], { stdio: "ignore", ...(serverAccount ?? {}) });
      cleanups.push(async () => {
        impostor.kill("SIGKILL");
      });
      const impostorPid = impostor.pid ?? -1;
      const [, ...rest] = postmasterPid.split("\n");
      await fs.writeFile(
        path.join(dataDir, "pg", "postmaster.pid"),
        [String(impostorPid), ...rest].join("\n"),
      );
      await fs.writeFile(path.join(dataDir, "pg-run", ".s.PGSQL.5432.lock"), `${impostorPid}\n`);
      await fs.writeFile(
        path.join(dataDir, "server.json"),
        serverFile.replace(/"pid": \d+/, `"pid": ${impostorPid}`),
      );
      await fs.writeFile(
        path.join(dataDir, "server.lock"),
        JSON.stringify({ pid: deadPid, startTicks: null }),
      );
      await fs.writeFile(path.join(dataDir, "pg-users", `${deadPid}-dead`), JSON.stringify({ pid: deadPid }));
      // A live pid that started at another time is another process: not a user.
      await fs.writeFile(
        path.join(dataDir, "pg-users", `${impostorPid}-reused`),
        JSON.stringify({ pid: impostorPid, startTicks: "1" }),
      );

      const db = await startOrJoinEmbeddedPostgres({ dataDir, logger });
      expect(db.role).toBe("started");
      expect(db.serverPid).not.toBe(impostorPid);
      expect(alive(impostorPid)).toBe(true);
      expect(entries.map((entry) => entry.msg)).toEqual(
        expect.arrayContaining([
          "removed a lock left by a process that died",
          "removed postmaster.pid naming a process that is not our server (pid reused)",
        ]),
      );
      expect(await query(db.url, "SELECT count(*)::int AS n FROM survivor")).toEqual([{ n: 0 }]);
      await db.release();
      expect(await fs.readdir(path.join(dataDir, "pg-users"))).toEqual([]);
      await expectStopped(dataDir, db.serverPid, db.socketDir);
    },
    TEST_TIMEOUT,
  );

  it(
    "puts the socket in a short temp directory when DATA_DIR's path is too long for a unix socket",
    async () => {
      const dataDir = await initialisedDataDir({ suffix: `${"long-directory-name-".repeat(5)}data` });
      expect(Buffer.byteLength(path.join(dataDir, "pg-run", ".s.PGSQL.5432"))).toBeGreaterThan(100);
      const { logger } = recordingLogger();
      const db = await startOrJoinEmbeddedPostgres({ dataDir, logger });
      expect(db.socketDir.startsWith(os.tmpdir())).toBe(true);
      expect(Buffer.byteLength(path.join(db.socketDir, ".s.PGSQL.5432"))).toBeLessThanOrEqual(100);
      expect(await readEmbeddedServerFile(dataDir)).toMatchObject({
        socketDir: db.socketDir,
        socketInTemp: true,
      });
      expect(await query(db.url, "SELECT current_database() AS db")).toEqual([{ db: "churnwatch" }]);
      await db.release();
      await expectStopped(dataDir, db.serverPid, db.socketDir);
      expect(existsSync(db.socketDir)).toBe(false);
    },
    TEST_TIMEOUT,
  );

  it(
    "fails with the server log's last lines when postgres cannot start, and leaves nothing behind",
    async () => {
      const dataDir = await initialisedDataDir();
      const { logger } = recordingLogger();
      const first = await startOrJoinEmbeddedPostgres({ dataDir, logger });
      await first.release();
      const conf = path.join(dataDir, "pg", "postgresql.auto.conf");
      const original = await fs.readFile(conf, "utf8");
      await fs.appendFile(conf, "shared_buffers = 'plenty'\n");

      const failure = await startOrJoinEmbeddedPostgres({ dataDir, logger }).catch((error: unknown) => error);
      expect(failure).toBeInstanceOf(AppError);
      expect((failure as AppError).code).toBe("database_unavailable");
      expect((failure as AppError).message).toMatch(/exited during start-up[\s\S]*shared_buffers/);
      expect(existsSync(path.join(dataDir, "server.json"))).toBe(false);
      expect(existsSync(path.join(dataDir, "server.lock"))).toBe(false);
      expect(await serverProcesses(dataDir)).toEqual([]);

      await fs.writeFile(conf, original);
      const fixed = await startOrJoinEmbeddedPostgres({ dataDir, logger });
      expect(fixed.role).toBe("started");
      await fixed.release();
    },
    TEST_TIMEOUT,
  );

  const unprivileged = isRoot
    ? accountOf("nobody")
    : { uid: process.getuid?.() ?? -1, gid: process.getgid?.() ?? -1 };
  it(
    "runs as an unprivileged user: the server runs as that user, with no change of owner or permissions",
    async (context) => {
      if (!unprivileged) {
        context.skip("running as root and there is no OS account 'nobody' to run an unprivileged process as");
        return;
      }
      const dataDir = await tempDataDir({ owner: unprivileged });
      const user = new UserProcess(dataDir, isRoot ? { account: unprivileged } : {});
      const ready = await user.next("ready");
      expect(ready).toMatchObject({ role: "started", initialised: true, uid: unprivileged.uid });
      expect(procStatus(Number(ready.serverPid))?.uid).toBe(unprivileged.uid);
      expect((await fs.stat(path.join(dataDir, "pg"))).uid).toBe(unprivileged.uid);
      expect(user.logMessages()).not.toContain("made a directory traversable for the PostgreSQL OS user");
      expect(await user.query("SELECT current_user AS who, current_database() AS db")).toEqual([
        { who: "postgres", db: "churnwatch" },
      ]);
      await user.release();
      await expectStopped(dataDir, Number(ready.serverPid), String(ready.socketDir));
    },
    TEST_TIMEOUT,
  );
});
