// The wording of the signed reports as data (templates/reports/*.json), validated once, NFC.
import { z } from "zod";
import compliance from "../../templates/reports/compliance.json" with { type: "json" };
import repeatLateness from "../../templates/reports/repeat-lateness.json" with { type: "json" };

const text = z
  .string()
  .min(1)
  .transform((s) => s.normalize("NFC"));
const groups = z.object({ agency: text, field: text, procedure: text });

const common = {
  numberSuffix: text,
  title: z.array(text).min(1),
  intro: z.array(text),
  totalLabel: text,
  empty: text,
  recipientsTitle: text,
  recipients: z.array(text).min(1),
  signerTitle: text,
};

export const repeatLatenessTemplate = z
  .object({
    id: z.literal("repeat-lateness"),
    ...common,
    summaryTable: z.object({ caption: text, columns: z.array(text).length(9) }),
    detailTable: z.object({ caption: text, columns: z.array(text).length(7) }),
    yes: text,
    no: text,
  })
  .parse(repeatLateness);

export const complianceTemplate = z
  .object({
    id: z.literal("compliance"),
    ...common,
    groupings: groups,
    table: z.object({ caption: text, keyColumn: groups, columns: z.array(text).length(11) }),
    overTarget: text,
  })
  .parse(compliance);

/** `{{name}}` replaced by its value. */
export function fill(template: string, values: Record<string, string>): string {
  return template.replace(/\{\{(\w+)\}\}/g, (_, name: string) => values[name] ?? "");
}
