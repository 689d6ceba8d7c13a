// The apology-letter forms as data (templates/letters/*.json): a lawyer edits the wording there;
// this module validates it and picks the form in force on the letter's issue date (DOMAIN §1).
import { z } from "zod";
import tt01Mau04 from "../../templates/letters/tt01-2018-mau04.json" with { type: "json" };
import tt03 from "../../templates/letters/tt03-2025.json" with { type: "json" };
import { localIsoDate } from "./dates.js";

/** The values a template may refer to as `{{name}}`. */
export const PLACEHOLDERS = [
  "agencyName",
  "addressee",
  "honorific",
  "applicantName",
  "dossierCode",
  "procedureName",
  "receivedAt",
  "promisedDueAt",
  "reason",
  "newDueAt",
  "finishedAt",
] as const;
export type Placeholder = (typeof PLACEHOLDERS)[number];

const PLACEHOLDER_PATTERN = /\{\{(\w+)\}\}/g;
const KNOWN = new Set<string>(PLACEHOLDERS);

/** Text in NFC (so it copies and searches correctly) whose placeholders all exist. */
const templateText = z
  .string()
  .min(1)
  .transform((s) => s.normalize("NFC"))
  .refine((s) => [...s.matchAll(PLACEHOLDER_PATTERN)].every((m) => KNOWN.has(m[1])), {
    message: `unknown placeholder; known: ${PLACEHOLDERS.join(", ")}`,
  });
const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "expected YYYY-MM-DD");

const bodyBlock = z.discriminatedUnion("kind", [
  z.object({
    kind: z.literal("paragraph"),
    text: templateText,
    /** The paragraph is left out when this value is absent (e.g. no promised time recorded). */
    when: z.enum(PLACEHOLDERS).optional(),
    italic: z.boolean().default(false),
  }),
  /** One paragraph per legal instrument: prefix + citation + suffix ("Căn cứ …;"). */
  z.object({
    kind: z.literal("legalBasis"),
    prefix: z.string().transform((s) => s.normalize("NFC")),
    suffix: z.string().transform((s) => s.normalize("NFC")),
    italic: z.boolean().default(false),
  }),
]);

const applicantWording = z.object({ addressee: templateText, honorific: templateText });

/**
 * DOMAIN §6 (amended): a dossier that finished late without a letter gets the apology after the
 * fact — its own title and body, with no extension request and no new appointment.
 */
const afterTheFactWording = z.object({ title: templateText, body: z.array(bodyBlock).min(1) });

/** Whether a paragraph of `body` uses the placeholder. */
function mentions(body: readonly { kind: string; text?: string }[], name: Placeholder): boolean {
  return body.some((block) => block.text?.includes(`{{${name}}}`) ?? false);
}

export const letterTemplateSchema = z
  .object({
    id: z.enum(["tt01-2018-mau04", "tt03-2025"]),
    effectiveFrom: isoDate,
    effectiveTo: isoDate.nullable(),
    formReference: templateText,
    title: templateText,
    /** Ký hiệu of the number: "Số: 12/PXL-NS". */
    numberSuffix: z.string().regex(/^[A-ZĐ]+$/),
    legalBasis: z.array(templateText).min(1),
    applicant: z.object({ citizen: applicantWording, organization: applicantWording }),
    addressee: templateText,
    body: z.array(bodyBlock).min(1),
    recipientsTitle: templateText,
    recipients: z.array(templateText),
    afterTheFact: afterTheFactWording,
  })
  .refine((t) => t.effectiveTo === null || t.effectiveFrom <= t.effectiveTo, {
    message: "effectiveFrom is after effectiveTo",
  })
  .refine((t) => !mentions(t.afterTheFact.body, "newDueAt"), {
    message: "the after-the-fact wording gives no new appointment: it cannot use {{newDueAt}}",
  })
  .refine((t) => mentions(t.afterTheFact.body, "finishedAt"), {
    message: "the after-the-fact wording must say when the result was ready ({{finishedAt}})",
  });

export type LetterTemplate = z.infer<typeof letterTemplateSchema>;
export type LetterFormId = LetterTemplate["id"];

/** Validated once at load: a broken template fails at start, not at the first letter. */
export const LETTER_TEMPLATES: readonly LetterTemplate[] = [tt01Mau04, tt03].map((raw) =>
  letterTemplateSchema.parse(raw),
);

/** The form in force on the issue date's local (Asia/Ho_Chi_Minh) calendar day. */
export function templateForIssueDate(
  issuedAt: Date,
  templates: readonly LetterTemplate[] = LETTER_TEMPLATES,
): LetterTemplate {
  const day = localIsoDate(issuedAt);
  const found = templates.find(
    (t) => t.effectiveFrom <= day && (t.effectiveTo === null || day <= t.effectiveTo),
  );
  if (!found) throw new Error(`no apology-letter form is in force on ${day}`);
  return found;
}

export function templateById(
  id: LetterFormId,
  templates: readonly LetterTemplate[] = LETTER_TEMPLATES,
): LetterTemplate {
  const found = templates.find((t) => t.id === id);
  if (!found) throw new Error(`unknown apology-letter form ${id}`);
  return found;
}

/** Replaces `{{name}}` with its value; a missing value is a programming error, not blank text. */
export function fillPlaceholders(text: string, values: Partial<Record<Placeholder, string>>): string {
  return text.replace(PLACEHOLDER_PATTERN, (_, name: Placeholder) => {
    const value = values[name];
    if (value === undefined) throw new Error(`no value for {{${name}}}`);
    return value;
  });
}
