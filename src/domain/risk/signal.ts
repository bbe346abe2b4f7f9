// A warning sign found in an account's numbers or records, with its evidence in words and numbers.

export type SignalSource = "ledger" | "model" | "records" | "receivables";

export type Signal = {
  /** Stable code, e.g. "order_value_decline", "purchasing_contact_changed"; used by backtests per reason. */
  code: string;
  source: SignalSource;
  /** 0..1: how strongly it points to churn on its own (1 = a customer in this state is usually lost). */
  strength: number;
  /** One line a rep reads, with the numbers: "order value −38% vs previous 90 days". */
  text: string;
  /** A "strong" signal is one that alone deserves a warning when it appears (issue 4 point 6). */
  strong: boolean;
};
