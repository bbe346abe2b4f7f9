// Key dates: HOLIDAYS parsing, next occurrences (29 February, year wrap) and the notice window.
import { describe, expect, it } from "vitest";
import { nextOccurrence, parseHolidays, upcomingKeyDates } from "../../src/domain/key-dates.ts";

describe("parseHolidays", () => {
  it("reads recurring month-days and one-off dates with their names", () => {
    expect(
      parseHolidays("01-01 New Year, 12-25 Christmas Day,2027-02-06 Spring Festival, 02-29 Leap"),
    ).toEqual([
      { name: "New Year", month: 1, day: 1 },
      { name: "Christmas Day", month: 12, day: 25 },
      { name: "Spring Festival", date: "2027-02-06" },
      { name: "Leap", month: 2, day: 29 },
    ]);
    expect(parseHolidays(" ")).toEqual([]);
  });

  it.each([
    ["12-25", '"12-25" has no name'],
    ["13-01 Nope", '"13-01" is not a month-day'],
    ["02-30 Nope", '"02-30" is not a month-day'],
    ["2026-02-29 Nope", '"2026-02-29" is not a date'],
    ["25.12 Christmas", '"25.12" is neither MM-DD (every year) nor YYYY-MM-DD (once)'],
    ["12-25 Christmas, 12-25 Christmas", '"Christmas" is given twice'],
  ])("refuses %j with a clear message", (text, message) => {
    const parsed = parseHolidays(text);
    expect(parsed).toHaveProperty("error");
    expect((parsed as { error: string }).error).toContain(message);
  });
});

describe("nextOccurrence", () => {
  it.each([
    ["2026-11-23", 11, 23, "2026-11-23"],
    ["2026-11-23", 11, 22, "2027-11-22"],
    ["2026-12-30", 1, 2, "2027-01-02"],
    ["2026-02-01", 2, 29, "2026-02-28"],
    ["2028-02-01", 2, 29, "2028-02-29"],
    ["2026-03-01", 2, 29, "2027-02-28"],
  ])("from %s, %i-%i falls on %s", (today, month, day, expected) => {
    expect(nextOccurrence(today, month, day).on).toBe(expected);
  });
});

describe("upcomingKeyDates", () => {
  const none = { contacts: [], foundedOn: null, firstOrderOn: null, holidays: [] };

  it("lists birthdays, anniversaries and holidays from today up to the notice days, soonest first", () => {
    const dates = upcomingKeyDates({
      today: "2026-12-30",
      noticeDays: 3,
      contacts: [
        { id: "c1", name: "Paula", birthday: "1980-01-02" },
        { id: "c2", name: "Tom", birthday: "1975-01-03" },
        { id: "c3", name: "Ann", birthday: "1990-12-30" },
      ],
      foundedOn: "1999-12-31",
      firstOrderOn: "2024-01-01",
      holidays: [
        { name: "New Year", month: 1, day: 1 },
        { name: "Christmas", month: 12, day: 25 },
      ],
    });
    expect(dates.map((d) => [d.kind, d.name, d.occasionOn, d.daysAhead, d.years])).toEqual([
      ["birthday", "Ann", "2026-12-30", 0, null],
      ["founding_anniversary", null, "2026-12-31", 1, 27],
      ["first_order_anniversary", null, "2027-01-01", 2, 3],
      ["holiday", "New Year", "2027-01-01", 2, null],
      ["birthday", "Paula", "2027-01-02", 3, null],
    ]);
  });

  it("celebrates a 29 February birthday on the 28th in other years, and on the 29th in leap years", () => {
    const contacts = [{ id: "c1", name: "Leap", birthday: "1988-02-29" }];
    expect(upcomingKeyDates({ ...none, contacts, today: "2027-02-26", noticeDays: 3 })[0]?.occasionOn).toBe(
      "2027-02-28",
    );
    expect(upcomingKeyDates({ ...none, contacts, today: "2028-02-26", noticeDays: 3 })[0]?.occasionOn).toBe(
      "2028-02-29",
    );
    expect(upcomingKeyDates({ ...none, contacts, today: "2028-02-25", noticeDays: 3 })).toEqual([]);
  });

  it("ends the window exactly at the notice days, and counts no anniversary in the first year", () => {
    const input = {
      ...none,
      foundedOn: "2026-11-26",
      firstOrderOn: "2025-11-27",
      today: "2026-11-23",
      noticeDays: 3,
    };
    expect(upcomingKeyDates(input)).toEqual([]);
    expect(upcomingKeyDates({ ...input, noticeDays: 4 })).toEqual([
      {
        kind: "first_order_anniversary",
        subject: "",
        name: null,
        occasionOn: "2026-11-27",
        daysAhead: 4,
        years: 1,
      },
    ]);
  });

  it("takes a one-off holiday only in its year", () => {
    const holidays = [{ name: "Spring Festival", date: "2027-02-06" }];
    expect(upcomingKeyDates({ ...none, holidays, today: "2027-02-04", noticeDays: 3 })).toMatchObject([
      { kind: "holiday", subject: "Spring Festival", occasionOn: "2027-02-06", daysAhead: 2 },
    ]);
    expect(upcomingKeyDates({ ...none, holidays, today: "2028-02-04", noticeDays: 3 })).toEqual([]);
  });
});
