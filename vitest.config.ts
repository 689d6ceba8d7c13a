import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts", "src/**/*.test.ts"],
    testTimeout: 120_000,
    // A fresh database per file: PGlite starts in seconds, slower on a loaded machine.
    hookTimeout: 180_000,
    pool: "forks",
  },
});
