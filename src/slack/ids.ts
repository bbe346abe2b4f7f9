// Every callback_id / action_id / block_id the app uses, in one place for builders and matchers.
export const ids = {
  command: { customer: "/customer" },
  action: {
    shareCard: "card_share",
    pickAccount: "account_pick",
  },
} as const;
