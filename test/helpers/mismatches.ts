// Where the response check (contract.ts) records what did not match the OpenAPI document, kept
// apart from it so that the suite's setup file (test/setup/contract.ts) loads nothing of the app.

export interface Mismatch {
  operation: string;
  status: number;
  problem: string;
}

const mismatches: Mismatch[] = [];

export function recordMismatch(mismatch: Mismatch): void {
  mismatches.push(mismatch);
}

/** The mismatches recorded since the last call, and forgets them. */
export function takeMismatches(): Mismatch[] {
  return mismatches.splice(0);
}

/** Throws when answers did not match the document since the last check (the suite's afterEach). */
export function assertNoMismatches(): void {
  const found = takeMismatches();
  if (found.length === 0) return;
  const lines = found.slice(0, 20).map((m) => `${m.operation} → ${m.status}: ${m.problem}`);
  throw new Error(`${found.length} answer(s) do not match the OpenAPI document:\n${lines.join("\n")}`);
}
