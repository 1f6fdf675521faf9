import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // DuckDB holds a file lock per workspace and the CLI tests spawn child processes:
    // forks isolate native handles; two cores make more workers pointless.
    pool: "forks",
    maxWorkers: 2,
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
