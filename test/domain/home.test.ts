// Home calendar and paging rules: the week a follow-up must be done in, and pages that still exist.
import { describe, expect, it } from "vitest";
import {
  addDays,
  clampPage,
  endOfWeek,
  firstPages,
  HOME_PAGE_SIZE,
  type HomeData,
  isEmptyHome,
} from "../../src/domain/home.ts";

describe("endOfWeek", () => {
  it.each([
    ["Monday", "2026-11-30", "2026-12-06"],
    ["Wednesday", "2026-12-02", "2026-12-06"],
    ["Saturday", "2026-12-05", "2026-12-06"],
    ["Sunday is the week's last day", "2026-12-06", "2026-12-06"],
    ["across the year", "2026-12-31", "2027-01-03"],
    ["into a leap day", "2028-02-23", "2028-02-27"],
    ["across a leap day", "2028-02-28", "2028-03-05"],
  ])("%s: %s → %s", (_name, day, sunday) => {
    expect(endOfWeek(day)).toBe(sunday);
  });
});

describe("addDays", () => {
  it.each([
    ["2028-02-28", 1, "2028-02-29"],
    ["2027-02-28", 1, "2027-03-01"],
    ["2026-11-30", -30, "2026-10-31"],
    ["2026-01-01", -1, "2025-12-31"],
    ["2026-03-29", 0, "2026-03-29"],
  ])("%s %+d → %s", (day, days, expected) => {
    expect(addDays(day, days)).toBe(expected);
  });
});

describe("clampPage", () => {
  it.each([
    ["first page of nothing", 0, 0, 0],
    ["any page of nothing", 5, 0, 0],
    ["a page that exists", 2, 61, 2],
    ["the last, partly filled page", 3, 61, 3],
    ["past the end: the last page", 4, 61, 3],
    ["exactly full pages", 3, 60, 2],
    ["negative", -1, 61, 0],
    ["fractions are cut", 1.7, 61, 1],
  ])("%s", (_name, page, total, expected) => {
    expect(clampPage(page, total, 20)).toBe(expected);
  });
});

describe("isEmptyHome", () => {
  const empty = <T>() => ({ items: [] as T[], page: 0, pageSize: 10, total: 0 });
  const data: HomeData = {
    userId: "U1",
    today: "2026-11-30",
    weekEndsOn: "2026-12-06",
    accounts: empty(),
    complaints: { ...empty(), overdue: 0 },
    followUps: { ...empty(), overdue: 0 },
    signs: empty(),
  };

  it("is empty only when every section is", () => {
    expect(isEmptyHome(data)).toBe(true);
    expect(isEmptyHome({ ...data, signs: { ...data.signs, total: 1 } })).toBe(false);
    expect(isEmptyHome({ ...data, followUps: { ...data.followUps, total: 3 } })).toBe(false);
  });

  it("starts every section on its first page, with positive page sizes", () => {
    expect(Object.values(firstPages)).toEqual([0, 0, 0, 0]);
    for (const size of Object.values(HOME_PAGE_SIZE)) expect(size).toBeGreaterThan(0);
  });
});
