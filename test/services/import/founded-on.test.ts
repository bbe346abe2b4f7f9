// The accounts import's founded_on column (§7 founding anniversaries): stored as a calendar day, left
// alone by files without the column, and refused with FILE:LINE errors when it is not a real date.
import { describe, expect, it } from "vitest";
import { fixture, freshDatabaseEachTest } from "./import-database.ts";

const imports = freshDatabaseEachTest();
const { importFixture } = imports;

async function foundedOn(): Promise<[string, string | null][]> {
  const rows = await imports.db.prisma.account.findMany({
    orderBy: { externalId: "asc" },
    select: { externalId: true, foundedOn: true },
  });
  return rows.map((row) => [row.externalId, row.foundedOn?.toISOString().slice(0, 10) ?? null]);
}

describe("accounts import: founded_on", () => {
  it("stores the founding day, and a file without the column leaves it alone", async () => {
    const report = await importFixture("accounts", "accounts-founded.csv");
    expect(report).toMatchObject({ rejected: false, inserted: 3, errors: [] });
    expect(await foundedOn()).toEqual([
      ["F-1", "1998-02-28"],
      ["F-2", "2000-02-29"],
      ["F-3", null],
    ]);
    expect(await importFixture("accounts", "accounts-founded.csv")).toMatchObject({ unchanged: 3 });
  });

  it("refuses a founding day that is not a real YYYY-MM-DD date, naming file, line and column", async () => {
    const report = await importFixture("accounts", "accounts-founded-invalid.csv");
    const file = fixture("accounts-founded-invalid.csv");
    expect(report.rejected).toBe(true);
    expect(report.errors.map((error) => error.text)).toEqual([
      `${file}:2: founded_on: "1998-02-30" is not a date. Use YYYY-MM-DD, e.g. 2024-05-31.`,
      `${file}:3: founded_on: "29.02.2000" is not a date. Use YYYY-MM-DD, e.g. 2024-05-31.`,
    ]);
    expect(await foundedOn()).toEqual([]);
  });
});
