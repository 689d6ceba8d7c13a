// A letter version's render input, stored beside its PDF (letter_versions.input): a correction
// re-renders from it with only the corrected fields changed, and a print of several letters renders
// them from it again — the dossier as synced later never leaks into a letter already issued.
import { z } from "zod";
import type { ApologyLetterInput } from "./render.js";

const instant = z.iso.datetime({ offset: true }).transform((s) => new Date(s));

const snapshotSchema = z.object({
  form: z.enum(["tt01-2018-mau04", "tt03-2025"]),
  number: z.number().int().positive(),
  agency: z.object({
    name: z.string(),
    shortCode: z.string(),
    parentName: z.string().nullable(),
    letterHeader: z.array(z.string()).optional(),
    place: z.string(),
  }),
  issuedAt: instant,
  dossier: z.object({
    code: z.string(),
    receivedAt: instant,
    procedureName: z.string(),
    applicantName: z.string(),
    applicantKind: z.enum(["citizen", "organization"]).optional(),
    promisedDueAt: instant.nullable(),
  }),
  reason: z.string(),
  // Null for the apology after the fact, which states when the result was ready instead.
  newDueAt: instant.nullable(),
  finishedAt: instant.nullable().optional(),
  signerName: z.string(),
  signerTitle: z.string(),
  recipients: z.array(z.string()).optional(),
  version: z.number().int().positive().optional(),
  // The status page its QR code links to (absent on letters issued before, or without PUBLIC_BASE_URL).
  statusUrl: z.string().optional(),
});

/** A render input with its form fixed (the form in force on the issue date never changes after). */
export type LetterSnapshot = ApologyLetterInput & { form: NonNullable<ApologyLetterInput["form"]> };

/** As stored (jsonb): dates as ISO strings. */
export function toStoredSnapshot(input: LetterSnapshot): Record<string, unknown> {
  return JSON.parse(JSON.stringify(input)) as Record<string, unknown>;
}

export function fromStoredSnapshot(stored: unknown): LetterSnapshot {
  return snapshotSchema.parse(stored);
}
