// Loads the demo book of business through the same CSV import a real customer uses.
import { once } from "node:events";
import { createWriteStream } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import type { Database } from "../../db/database.ts";
import type { Logger } from "../../logger.ts";
import { type ImportReport, importCsv } from "../import/import-csv.ts";
import {
  type DemoOptions,
  generateDemoAccounts,
  generateDemoContacts,
  generateDemoOrders,
} from "./generate-demo-data.ts";

function csvCell(value: string | number | null | undefined): string {
  const text = value === null || value === undefined ? "" : String(value);
  return /[",\n\r]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

function csvLine(values: readonly (string | number | null | undefined)[]): string {
  return `${values.map(csvCell).join(",")}\n`;
}

/** Streams lines to a file, respecting back-pressure, so a large demo never sits in memory. */
async function writeLines(file: string, lines: Iterable<string>): Promise<void> {
  const out = createWriteStream(file, { encoding: "utf8" });
  for (const line of lines) {
    if (!out.write(line)) await once(out, "drain");
  }
  out.end();
  await once(out, "finish");
}

export type DemoLoadResult = { accounts: number; reports: ImportReport[] };

/** Dates are anchored to the start of today (UTC), so loading the demo twice in a day changes nothing. */
export async function loadDemo(
  deps: { db: Database; logger: Logger; timeZone: string },
  options: Omit<DemoOptions, "now"> & { now: Date },
): Promise<DemoLoadResult> {
  const today = new Date(options.now);
  today.setUTCHours(0, 0, 0, 0);
  const demoOptions: DemoOptions = { ...options, now: today };
  const accounts = generateDemoAccounts(demoOptions);
  const dir = await mkdtemp(path.join(tmpdir(), "churnwatch-demo-"));
  try {
    const files: Record<"accounts" | "contacts" | "orders", string> = {
      accounts: path.join(dir, "accounts.csv"),
      contacts: path.join(dir, "contacts.csv"),
      orders: path.join(dir, "orders.csv"),
    };
    await writeFile(
      files.accounts,
      [
        csvLine(["external_id", "name", "aliases", "owner_slack_id", "segment", "region"]),
        ...accounts.map((a) =>
          csvLine([
            a.externalId,
            a.name,
            a.aliases.join("|"),
            options.ownerSlackId ?? "",
            a.segment,
            a.region,
          ]),
        ),
      ].join(""),
    );
    await writeFile(
      files.contacts,
      [
        csvLine([
          "external_id",
          "account_external_id",
          "name",
          "role",
          "email",
          "phone",
          "started_on",
          "ended_on",
        ]),
        ...generateDemoContacts(accounts, demoOptions).map((c) =>
          csvLine([
            c.externalId,
            c.accountExternalId,
            c.name,
            c.role,
            c.email,
            c.phone,
            c.startedOn,
            c.endedOn,
          ]),
        ),
      ].join(""),
    );
    await writeLines(
      files.orders,
      (function* () {
        yield csvLine([
          "account_external_id",
          "order_external_id",
          "ordered_at",
          "quantity",
          "amount",
          "cost",
          "currency",
        ]);
        for (const o of generateDemoOrders(accounts, demoOptions)) {
          yield csvLine([
            o.accountExternalId,
            o.orderExternalId,
            o.orderedAt,
            o.quantity,
            o.amount,
            o.cost,
            o.currency,
          ]);
        }
      })(),
    );
    const reports: ImportReport[] = [];
    for (const kind of ["accounts", "contacts", "orders"] as const) {
      reports.push(
        await importCsv({
          db: deps.db,
          kind,
          file: files[kind],
          dryRun: false,
          skipInvalid: false,
          timeZone: deps.timeZone,
          defaultCurrency: "USD",
          logger: deps.logger,
        }),
      );
    }
    return { accounts: accounts.length, reports };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
