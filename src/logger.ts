// Structured logging (pino). Secrets are redacted by path; never log whole payloads.
import { pino } from "pino";

export type Logger = pino.Logger;

export function createLogger(level: string = process.env.LOG_LEVEL ?? "info"): Logger {
  return pino({
    level,
    base: { app: "churnwatch" },
    redact: {
      paths: [
        "token",
        "botToken",
        "appToken",
        "signingSecret",
        "*.token",
        "*.botToken",
        "*.appToken",
        "*.signingSecret",
        "*.password",
        "headers.authorization",
      ],
      censor: "[redacted]",
    },
  });
}

/** For tests and one-shot CLI runs that should stay quiet unless something breaks. */
export function createSilentLogger(): Logger {
  return pino({ level: "silent" });
}
