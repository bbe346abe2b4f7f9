// Who is a manager: the configured Slack user ids, plus the members of a configured user group (read
// from Slack, kept for a few minutes). With neither configured, roles are off: everyone is a manager,
// as in a team too small to split them (the bot says so in its log when it starts).
import type { RolePolicy, Viewer } from "../domain/roles.ts";
import type { Logger } from "../logger.ts";

export type RoleSettings = {
  managerUserIds: readonly string[];
  managerGroupId: string | undefined;
  repsSeeMargin: boolean;
};

export type Roles = RolePolicy & {
  /** False when no managers are configured: everyone counts as a manager. */
  readonly configured: boolean;
  isManager(userId: string): Promise<boolean>;
  /** The managers' Slack user ids (configured ids and group members), sorted; empty when roles are off. */
  managerIds(): Promise<string[]>;
  viewer(userId: string): Promise<Viewer>;
};

/** No managers configured: everyone counts as one (the CLI, run by whoever runs the database, uses it). */
export const ROLES_OFF: RoleSettings = Object.freeze({
  managerUserIds: [],
  managerGroupId: undefined,
  repsSeeMargin: false,
});

/** How long the user group's members are kept before Slack is asked again. */
export const GROUP_CACHE_MS = 5 * 60 * 1000;

export function createRoles(
  settings: RoleSettings,
  deps: {
    /** The user group's members from Slack (usergroups.users.list); only called when a group is set. */
    groupMembers?: (groupId: string) => Promise<string[]>;
    logger: Logger;
    now: () => Date;
  },
): Roles {
  const configured = settings.managerUserIds.length > 0 || settings.managerGroupId !== undefined;
  let cached: { at: number; members: Set<string> } | undefined;

  async function members(): Promise<Set<string>> {
    const groupId = settings.managerGroupId;
    if (groupId === undefined || deps.groupMembers === undefined) return new Set();
    const now = deps.now().getTime();
    if (cached && now - cached.at < GROUP_CACHE_MS) return cached.members;
    try {
      cached = { at: now, members: new Set(await deps.groupMembers(groupId)) };
    } catch (error) {
      // Slack unreachable: keep the last members known (none at first) rather than fail the request.
      deps.logger.warn({ err: error, groupId }, "could not read the managers' user group");
      if (!cached) return new Set();
    }
    return cached.members;
  }

  async function isManager(userId: string): Promise<boolean> {
    if (!configured) return true;
    if (settings.managerUserIds.includes(userId)) return true;
    return (await members()).has(userId);
  }

  return {
    configured,
    repsSeeMargin: settings.repsSeeMargin,
    isManager,
    async managerIds() {
      if (!configured) return [];
      return [...new Set([...settings.managerUserIds, ...(await members())])].sort();
    },
    async viewer(userId) {
      return { userId, manager: await isManager(userId) };
    },
  };
}
