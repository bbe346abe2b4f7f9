// ServiceDeps for service tests: a test database, a pinned clock, UTC and the default response targets.
import { defaultKeyCareSettings } from "../../src/domain/cadence.ts";
import { defaultClassificationSettings } from "../../src/domain/classification.ts";
import { defaultResponseTargets } from "../../src/domain/complaints.ts";
import { createSilentLogger } from "../../src/logger.ts";
import type { ServiceDeps } from "../../src/services/deps.ts";
import { createRoles, ROLES_OFF } from "../../src/services/roles.ts";
import type { TestDatabase } from "./db.ts";

export function testDeps(
  db: TestDatabase,
  now: () => Date,
  overrides: Partial<ServiceDeps> = {},
): ServiceDeps {
  return {
    prisma: db.prisma,
    pool: db.pool,
    logger: createSilentLogger(),
    now,
    timeZone: "UTC",
    defaultCurrency: "USD",
    responseTargets: defaultResponseTargets,
    assistant: undefined,
    roles: createRoles(ROLES_OFF, { logger: createSilentLogger(), now }),
    keyCare: defaultKeyCareSettings,
    classification: defaultClassificationSettings,
    channels: { warnings: undefined, managers: undefined, retro: undefined },
    ...overrides,
  };
}
