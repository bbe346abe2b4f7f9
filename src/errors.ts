// The one error type: a stable code for logs and tests, and a message fit to show a user.

export type ErrorCode =
  | "config_invalid"
  | "database_unavailable"
  | "migration_failed"
  | "import_invalid"
  | "not_found"
  | "bad_request"
  | "internal";

export class AppError extends Error {
  readonly code: ErrorCode;
  /** Shown to the user as is; never contains secrets or stack traces. */
  readonly userMessage: string;

  constructor(code: ErrorCode, userMessage: string, options?: { cause?: unknown }) {
    super(userMessage, options);
    this.name = "AppError";
    this.code = code;
    this.userMessage = userMessage;
  }
}

export function isAppError(error: unknown): error is AppError {
  return error instanceof AppError;
}

/** A message for a person: the AppError's own, otherwise a generic line (details go to the log). */
export function userMessageOf(error: unknown): string {
  return isAppError(error) ? error.userMessage : "Something went wrong on our side. The error was logged.";
}
