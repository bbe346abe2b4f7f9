// Settings of cadence and key-date reminders: defaults, parsed values, and each bad one named clearly.
import { describe, expect, it } from "vitest";
import { loadCoreConfig } from "../src/config.ts";
import { isAppError } from "../src/errors.ts";

function messageOf(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    if (isAppError(error)) return error.userMessage;
    throw error;
  }
  throw new Error("expected a configuration error");
}

describe("key-care settings", () => {
  it("defaults: 30 days for key accounts, no holidays, 3 days' notice, 9:00", () => {
    expect(loadCoreConfig({}).keyCare).toEqual({
      cadenceDays: { key: 30 },
      holidays: [],
      noticeDays: 3,
      reminderHour: 9,
    });
  });

  it("reads cadence per class, holidays, notice days and the hour", () => {
    expect(
      loadCoreConfig({
        CADENCE_DAYS: "key=30,red=21,white=30,black=45",
        HOLIDAYS: "01-01 New Year, 2027-02-06 Spring Festival",
        KEY_DATE_NOTICE_DAYS: "7",
        OWNER_REMINDER_HOUR: "0",
      }).keyCare,
    ).toEqual({
      cadenceDays: { key: 30, red: 21, white: 30, black: 45 },
      holidays: [
        { name: "New Year", month: 1, day: 1 },
        { name: "Spring Festival", date: "2027-02-06" },
      ],
      noticeDays: 7,
      reminderHour: 0,
    });
  });

  it("names every bad value in one message", () => {
    const message = messageOf(() =>
      loadCoreConfig({
        CADENCE_DAYS: "gold=10",
        HOLIDAYS: "25.12 Christmas",
        KEY_DATE_NOTICE_DAYS: "soon",
        OWNER_REMINDER_HOUR: "24",
      }),
    );
    expect(message).toContain('CADENCE_DAYS: "gold" is not a class: use key, red, white or black');
    expect(message).toContain('HOLIDAYS: "25.12" is neither MM-DD (every year) nor YYYY-MM-DD (once)');
    expect(message).toContain("KEY_DATE_NOTICE_DAYS: must be a number of days, e.g. 3");
    expect(message).toContain("OWNER_REMINDER_HOUR: must be an hour from 0 to 23, e.g. 9");
  });
});
