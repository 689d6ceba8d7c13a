// `npm run openapi:lint`: the service's document through Redocly's linter (@redocly/openapi-core,
// the engine of `redocly lint`) with its recommended rules. Errors fail (exit 1); warnings are printed.
import { createConfig, formatProblems, getTotals, lintFromString } from "@redocly/openapi-core";
import { serviceDocumentText } from "./openapi-document.js";

const config = await createConfig({ extends: ["recommended"] });
const problems = await lintFromString({
  source: serviceDocumentText(),
  absoluteRef: "openapi.json",
  config,
});
const totals = getTotals(problems);
formatProblems(problems, { format: "codeframe", totals, version: "openapi-core" });
console.log(`openapi:lint: ${totals.errors} error(s), ${totals.warnings} warning(s)`);
process.exit(totals.errors > 0 ? 1 : 0);
