// Contact cadence: parsing CADENCE_DAYS, the limit per face, and the status at and around the limit.
import { describe, expect, it } from "vitest";
import { cadenceLimit, cadenceStatus, parseCadenceDays } from "../../src/domain/cadence.ts";

describe("parseCadenceDays", () => {
  it.each([
    ["key=30,red=21,white=30,black=45", { key: 30, red: 21, white: 30, black: 45 }],
    [" red = 14 ", { key: 30, red: 14 }],
    ["key=60", { key: 60 }],
    ["KEY=20,", { key: 20 }],
  ])("reads %j", (text, expected) => {
    expect(parseCadenceDays(text)).toEqual(expected);
  });

  it.each([
    ["gold=10", '"gold" is not a class: use key, red, white or black'],
    ["red:21", '"red:21" is not class=days (e.g. red=21)'],
    ["red=0", "red=0: days must be between 1 and 3650"],
    ["red=-3", '"red=-3" is not class=days'],
    ["red=10,red=12", "red is given twice"],
  ])("refuses %j with a clear message", (text, message) => {
    const parsed = parseCadenceDays(text);
    expect(parsed).toHaveProperty("error");
    expect((parsed as { error: string }).error).toContain(message);
    expect((parsed as { error: string }).error).toContain("Example: key=30,red=21,white=30,black=45");
  });
});

describe("cadenceLimit", () => {
  const days = { key: 30, red: 21 };
  it("takes the face's own value, else the key default", () => {
    expect(cadenceLimit(days, "red")).toBe(21);
    expect(cadenceLimit(days, "white")).toBe(30);
    expect(cadenceLimit(days, null)).toBe(30);
  });
});

describe("cadenceStatus", () => {
  const base = { keySince: "2026-01-01", firstOrderOn: "2020-05-01", limitDays: 30 };

  it("is due today exactly at the limit, and overdue by 1 the day after", () => {
    expect(cadenceStatus({ ...base, lastContactOn: "2026-10-24", today: "2026-11-23" })).toEqual({
      lastContactOn: "2026-10-24",
      since: "2026-10-24",
      limitDays: 30,
      daysSince: 30,
      overdueDays: 0,
      dueInDays: 0,
      overdueOn: "2026-11-24",
    });
    expect(cadenceStatus({ ...base, lastContactOn: "2026-10-24", today: "2026-11-24" })).toMatchObject({
      daysSince: 31,
      overdueDays: 1,
      dueInDays: -1,
      overdueOn: "2026-11-24",
    });
  });

  it("counts from the later of becoming key and the first order when no contact was logged", () => {
    expect(cadenceStatus({ ...base, lastContactOn: null, today: "2026-03-01" })).toMatchObject({
      since: "2026-01-01",
      daysSince: 59,
      overdueDays: 29,
      overdueOn: "2026-02-01",
    });
    expect(
      cadenceStatus({
        keySince: "2026-01-01",
        firstOrderOn: "2026-02-10",
        limitDays: 30,
        lastContactOn: null,
        today: "2026-03-01",
      }),
    ).toMatchObject({ since: "2026-02-10", dueInDays: 11, overdueDays: 0 });
    expect(
      cadenceStatus({
        keySince: null,
        firstOrderOn: null,
        limitDays: 30,
        lastContactOn: null,
        today: "2026-03-01",
      }),
    ).toBeNull();
  });

  it("a new contact starts a new period with a new overdue day", () => {
    const before = cadenceStatus({ ...base, lastContactOn: "2026-09-01", today: "2026-11-23" });
    const after = cadenceStatus({ ...base, lastContactOn: "2026-11-20", today: "2026-11-23" });
    expect(before?.overdueOn).toBe("2026-10-02");
    expect(after).toMatchObject({ overdueOn: "2026-12-21", overdueDays: 0, dueInDays: 27 });
  });

  it("crosses the year end", () => {
    expect(cadenceStatus({ ...base, lastContactOn: "2026-12-15", today: "2027-01-20" })).toMatchObject({
      daysSince: 36,
      overdueDays: 6,
      overdueOn: "2027-01-15",
    });
  });
});
