// The `churnwatch` command line: start the bot, import CSV files, load the demo, run migrations.
import { parseArgs } from "node:util";
import { isAppError } from "../errors.ts";

const usage = `Usage: churnwatch <command>

  start                                  run the Slack bot (what npm start does)
  import accounts|contacts|orders|payments FILE
                                         import a CSV export (see README "CSV import")
         [--dry-run] [--skip-invalid] [--time-zone ZONE] [--currency CODE]
  demo [--accounts N] [--seed N] [--owner SLACK_USER_ID]
                                         load a realistic demo data set
  scan [--as-of YYYY-MM-DD] [--json] [--save]
                                         risk of every account, with reasons (--save keeps it as history)
  scan --post                            today's scan saved, and the due churn warnings posted to Slack
  backtest --as-of YYYY-MM-DD [--horizon-weeks N] [--json]
                                         how well the risk as of a date foretold who stopped ordering
  report [--from YYYY-MM-DD] [--to YYYY-MM-DD] [--json]
                                         churn rate, why customers left, loyalty and key accounts at
                                         risk (default: the year to date; see README "Churn report")
  report month|quarter|year [--json]     the period to date, with the previous complete one
  db deploy                              apply pending migrations
  db migrate --name NAME [--create-only] create a migration from prisma/schema.prisma and apply it
                                         (--create-only: write it to edit first, do not apply)
  db status                              show applied and pending migrations
  help                                   this text
`;

export type CliIo = { out: (line: string) => void; err: (line: string) => void };

const io: CliIo = {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
};

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  const args = parseArgs({
    args: rest,
    allowPositionals: true,
    options: {
      "dry-run": { type: "boolean", default: false },
      "skip-invalid": { type: "boolean", default: false },
      "time-zone": { type: "string" },
      currency: { type: "string" },
      accounts: { type: "string" },
      seed: { type: "string" },
      owner: { type: "string" },
      name: { type: "string" },
      "create-only": { type: "boolean", default: false },
      "as-of": { type: "string" },
      json: { type: "boolean", default: false },
      save: { type: "boolean", default: false },
      post: { type: "boolean", default: false },
      "horizon-weeks": { type: "string" },
      from: { type: "string" },
      to: { type: "string" },
    },
  });
  switch (command) {
    // Each command loads only its own code.
    case "start":
      return (await import("./start.ts")).runStart(io);
    case "import":
      return (await import("./import.ts")).runImport(io, args.positionals, args.values);
    case "demo":
      return (await import("./demo.ts")).runDemo(io, args.values);
    case "scan":
    case "backtest":
      return (await import("./scan.ts")).runScanCommand(io, command, args.values);
    case "report":
      return (await import("./report.ts")).runReport(io, args.positionals, args.values);
    case "db":
      return (await import("./db.ts")).runDb(io, args.positionals, args.values);
    case undefined:
    case "help":
    case "--help":
    case "-h":
      io.out(usage);
      return 0;
    default:
      io.err(`Unknown command "${command}".\n\n${usage}`);
      return 2;
  }
}

try {
  process.exitCode = await main(process.argv.slice(2));
} catch (error) {
  if (isAppError(error)) {
    io.err(error.userMessage);
  } else if (error instanceof TypeError && (error as { code?: string }).code?.startsWith("ERR_PARSE_ARGS")) {
    io.err(`${error.message}\n\n${usage}`);
    process.exitCode = 2;
  } else {
    io.err(`Unexpected error: ${error instanceof Error ? error.message : String(error)}`);
  }
  process.exitCode ??= 1;
  if (process.exitCode === 0) process.exitCode = 1;
}
// The wasm schema engine and pg pools can leave timers behind; a finished command exits now.
if (process.argv[2] !== "start") process.exit(process.exitCode);
