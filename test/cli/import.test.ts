// `churnwatch import …` as a user runs it: messages, exit codes, dry run and re-import through the real command.
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../support/cli.ts";
import { createTestDatabase, type TestDatabase } from "../support/db.ts";

let db: TestDatabase;
let dir: string;
const run = (...args: string[]) =>
  runCli(["import", ...args], { DATABASE_URL: db.url, TIME_ZONE: "Asia/Shanghai" });

async function file(name: string, content: string): Promise<string> {
  const target = path.join(dir, name);
  await writeFile(target, content);
  return target;
}

beforeAll(async () => {
  db = await createTestDatabase();
  dir = await mkdtemp(path.join(tmpdir(), "churnwatch-import-cli-"));
});

afterAll(async () => {
  await db?.drop();
  await rm(dir, { recursive: true, force: true });
});

describe("churnwatch import", () => {
  it("imports accounts, then orders, and a second run changes nothing", async () => {
    const accounts = await file(
      "accounts.csv",
      "external_id,name,aliases\nA-1,深圳恒通电子有限公司,Hengtong|HT\nA-2,Bluewater Foods Inc.,\n",
    );
    const orders = await file(
      "orders.csv",
      "account_external_id,order_external_id,ordered_at,quantity,amount,cost,currency\nA-1,O-1,2026-11-01,10,1234.50,1000.00,CNY\nA-2,O-2,2026-11-02T09:30:00Z,3,99.99,,USD\n",
    );
    const first = await run("accounts", accounts);
    expect(first.code).toBe(0);
    expect(first.stdout).toContain("Imported 2 accounts from accounts.csv");
    expect(first.stdout).toContain("2 new, 0 updated, 0 unchanged");
    const second = await run("orders", orders);
    expect(second.stdout).toContain("Imported 2 orders from orders.csv");
    const again = await run("orders", orders);
    expect(again.stdout).toContain("0 new, 0 updated, 2 unchanged");
    const order = await db.prisma.order.findUniqueOrThrow({ where: { externalId: "O-1" } });
    expect(order.amount).toBe(123450n);
    expect(order.cost).toBe(100000n);
    // A plain date is the start of that day in TIME_ZONE (Asia/Shanghai, UTC+8).
    expect(order.orderedAt.toISOString()).toBe("2026-10-31T16:00:00.000Z");
    const account = await db.prisma.account.findUniqueOrThrow({ where: { externalId: "A-1" } });
    expect(account.aliases).toEqual(["Hengtong", "HT"]);
  });

  it("reports each bad row as FILE:LINE: column: message, writes nothing, and exits 1", async () => {
    const orders = await file(
      "bad-orders.csv",
      "account_external_id,order_external_id,ordered_at,quantity,amount\nA-1,O-10,2026-11-01,1,10.00\nA-1,O-11,yesterday,1,10.00\nA-9,O-12,2026-11-01,-2,10.00\n",
    );
    const result = await run("orders", orders);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(new RegExp(`${orders.replaceAll("/", "\\/")}:3: ordered_at: `));
    expect(result.stderr).toMatch(new RegExp(`${orders.replaceAll("/", "\\/")}:4: quantity: `));
    expect(result.stderr).toContain("nothing was imported");
    expect(await db.prisma.order.count({ where: { externalId: "O-10" } })).toBe(0);
  });

  it("with --skip-invalid writes the valid rows and reports the rest", async () => {
    const orders = await file(
      "mixed.csv",
      "account_external_id,order_external_id,ordered_at,quantity,amount\nA-1,O-20,2026-11-01,1,10.00\nA-1,O-21,2026-13-01,1,10.00\n",
    );
    const result = await run("orders", orders, "--skip-invalid");
    expect(result.code).toBe(0);
    expect(result.stderr).toContain(":3: ordered_at: ");
    expect(result.stdout).toContain("1 invalid rows skipped");
    expect(await db.prisma.order.count({ where: { externalId: { in: ["O-20", "O-21"] } } })).toBe(1);
  });

  it("with --dry-run says what would change and writes nothing", async () => {
    const accounts = await file(
      "rename.csv",
      "external_id,name\nA-2,Bluewater Foods Europe\nA-3,Keystone Logistics\n",
    );
    const result = await run("accounts", accounts, "--dry-run");
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("would be 1 new, 1 updated, 0 unchanged. Nothing was written.");
    expect(await db.prisma.account.count({ where: { externalId: "A-3" } })).toBe(0);
  });

  it("rejects a file with an unknown column as a whole, even with --skip-invalid", async () => {
    const accounts = await file("unknown.csv", "external_id,name,colour\nA-4,Red Co,red\n");
    const result = await run("accounts", accounts, "--skip-invalid");
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("colour");
    expect(result.stderr).toContain("nothing was imported");
  });

  it("imports payments, and a later file with paid_on marks the invoice paid", async () => {
    const open = await file(
      "payments.csv",
      "account_external_id,invoice_external_id,issued_on,due_on,amount,currency,paid_on\nA-1,INV-1,2026-10-01,2026-10-31,5000.00,CNY,\nA-2,INV-2,,2026-11-15,120.00,,\n",
    );
    const first = await run("payments", open);
    expect(first.code).toBe(0);
    expect(first.stdout).toContain("Imported 2 payments from payments.csv");
    expect(first.stdout).toContain("2 new, 0 updated, 0 unchanged");

    const paid = await file(
      "paid.csv",
      "account_external_id,invoice_external_id,due_on,amount,paid_on\nA-1,INV-1,2026-10-31,5000.00,2026-11-20\n",
    );
    const second = await run("payments", paid, "--currency", "CNY");
    expect(second.stdout).toContain("0 new, 1 updated, 0 unchanged");
    const invoice = await db.prisma.receivable.findUniqueOrThrow({ where: { externalId: "INV-1" } });
    expect(invoice).toMatchObject({ amount: 500000n, currency: "CNY", issuedOn: new Date("2026-10-01") });
    expect(invoice.paidOn?.toISOString().slice(0, 10)).toBe("2026-11-20");

    const bad = await file(
      "bad-payments.csv",
      "account_external_id,invoice_external_id,issued_on,due_on,amount,paid_on\nA-1,INV-3,2026-11-10,2026-12-10,-5.00,\nA-1,INV-4,2026-11-10,2026-12-10,5.00,2026-11-01\n",
    );
    const rejected = await run("payments", bad);
    expect(rejected.code).toBe(1);
    expect(rejected.stderr).toContain(`${bad}:2: amount: "-5.00" is not more than 0`);
    expect(rejected.stderr).toContain(`${bad}:3: paid_on: 2026-11-01 is before issued_on (2026-11-10).`);
    expect(await db.prisma.receivable.count({ where: { externalId: { in: ["INV-3", "INV-4"] } } })).toBe(0);
  });

  it("explains usage mistakes and missing files", async () => {
    const usage = await run("customers", "x.csv");
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain("Usage: churnwatch import accounts|contacts|orders|payments FILE.csv");
    const missing = await run("orders", path.join(dir, "nope.csv"));
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain("nope.csv: no such file");
  });
});
