// Test runner settings: real databases and servers, so generous timeouts and a bounded worker count.
import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    globalSetup: ["test/global-setup.ts"],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Two cores here: more workers only contend for PostgreSQL.
    maxWorkers: 2,
    env: { LOG_LEVEL: "silent" },
  },
});
