// A Bolt/Slack SDK logger that keeps log lines in memory, so tests stay quiet and can assert on what was logged.
import { type Logger, LogLevel } from "@slack/bolt";

export interface CapturedLog {
  level: LogLevel;
  message: string;
}

export interface CaptureLogger extends Logger {
  readonly entries: CapturedLog[];
  /** Log lines at `level` or above (error > warn > info > debug). */
  atLeast(level: LogLevel): CapturedLog[];
}

const SEVERITY: Record<LogLevel, number> = {
  [LogLevel.DEBUG]: 0,
  [LogLevel.INFO]: 1,
  [LogLevel.WARN]: 2,
  [LogLevel.ERROR]: 3,
};

export function captureLogger(): CaptureLogger {
  const entries: CapturedLog[] = [];
  let level: LogLevel = LogLevel.INFO;
  const log =
    (at: LogLevel) =>
    (...parts: unknown[]): void => {
      entries.push({
        level: at,
        message: parts.map((part) => (part instanceof Error ? part.stack : String(part))).join(" "),
      });
    };
  return {
    entries,
    atLeast: (min) => entries.filter((entry) => SEVERITY[entry.level] >= SEVERITY[min]),
    debug: log(LogLevel.DEBUG),
    info: log(LogLevel.INFO),
    warn: log(LogLevel.WARN),
    error: log(LogLevel.ERROR),
    setLevel: (next) => {
      level = next;
    },
    getLevel: () => level,
    setName: () => {},
  };
}
