import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts", "src/**/*.test.ts"],
    testTimeout: 120_000,
    // A fresh database per file: PGlite starts in seconds, slower on a loaded machine.
    hookTimeout: 180_000,
    pool: "forks",
    // Every answer a test's server gives is checked against the OpenAPI document.
    setupFiles: ["test/setup/contract.ts"],
  },
});
