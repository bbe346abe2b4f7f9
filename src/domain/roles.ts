// §7 roles: managers see profit and margin and take the decisions reps may not (blacklisting, black-face
// and key designations, handovers); reps see their own accounts' margin only where configured. Pure.

export type Viewer = {
  readonly userId: string;
  readonly manager: boolean;
};

export type RolePolicy = {
  /** Reps see margin and profit of the accounts they own. */
  readonly repsSeeMargin: boolean;
};

/** Whether `viewer` may see an account's margin and profit (and any money derived from them). */
export function seesMargin(viewer: Viewer, ownerSlackId: string | null, policy: RolePolicy): boolean {
  if (viewer.manager) return true;
  return policy.repsSeeMargin && ownerSlackId !== null && ownerSlackId === viewer.userId;
}
