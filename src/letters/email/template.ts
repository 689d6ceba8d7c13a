// The e-mail that carries a letter, from templates/email/letter-delivery.json (Vietnamese wording
// kept as data, beside the letter forms).
import { z } from "zod";
import template from "../../../templates/email/letter-delivery.json" with { type: "json" };

const schema = z.object({
  subject: z.string(),
  body: z.array(z.string()),
  signed: z.string(),
  unsigned: z.string(),
  status: z.string(),
  noStatus: z.string(),
});

const EMAIL = schema.parse(template);

export interface EmailFacts {
  agencyName: string;
  number: string;
  dossierCode: string;
  procedureName: string;
  signed: boolean;
  statusUrl: string | undefined;
}

const fill = (text: string, values: Record<string, string>) =>
  text.replace(/\{\{(\w+)\}\}/g, (_, name: string) => {
    const value = values[name];
    if (value === undefined) throw new Error(`no value for {{${name}}} in the e-mail template`);
    return value;
  });

export function letterEmail(facts: EmailFacts): { subject: string; text: string } {
  const values = {
    agencyName: facts.agencyName,
    number: facts.number,
    dossierCode: facts.dossierCode,
    procedureName: facts.procedureName,
    signatureLine: facts.signed ? EMAIL.signed : EMAIL.unsigned,
    statusLine: facts.statusUrl ? fill(EMAIL.status, { statusUrl: facts.statusUrl }) : EMAIL.noStatus,
  };
  return {
    subject: fill(EMAIL.subject, values).normalize("NFC"),
    text: EMAIL.body
      .map((line) => fill(line, values))
      .join("\n")
      .normalize("NFC"),
  };
}
