// Loaded before every test file (vitest.config.ts setupFiles): a test whose requests got answers
// that do not match the OpenAPI document fails, whatever it asserted itself (test/helpers/contract.ts).
import { afterAll, afterEach } from "vitest";
import { assertNoMismatches } from "../helpers/mismatches.js";

afterEach(assertNoMismatches);
afterAll(assertNoMismatches);
