// The document's XMP metadata (ISO 16684-1), as PDF/A-2 requires it: the same title, author,
// subject, keywords, producer and dates as the Info dictionary, the PDF/A identification, and the
// letter's own facts for archives (agency, dossier code, form, number, signature) in a namespace of
// ours, declared by a PDF/A extension schema — PDF/A forbids undeclared properties.

/** The facts an archive reads off a letter without opening it. */
export interface ArchiveFacts {
  agency: string;
  dossierCode: string;
  /** The form's id and legal reference: "tt03-2025 (Mẫu …)". */
  form: string;
  letterNumber: string;
  /** "PAdES-B-B" when signed, "unsigned" otherwise. */
  signature: string;
}

export interface XmpInfo {
  title: string;
  author: string;
  subject: string;
  keywords?: string;
  creator: string;
  producer: string;
  createdAt: Date;
  part: number;
  conformance: string;
  facts?: ArchiveFacts;
}

export const LETTER_NS = "urn:one-stop-compliance-monitor:letter:1";
const PREFIX = "pxl";

const PROPERTIES: Record<keyof ArchiveFacts, string> = {
  agency: "The issuing agency (cơ quan ban hành)",
  dossierCode: "The dossier code (mã hồ sơ)",
  form: "The form of the letter and its legal reference",
  letterNumber: "Số, ký hiệu of the letter",
  signature: "PAdES-B-B when digitally signed, unsigned otherwise",
};

export const escapeXml = (s: string) =>
  s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");

/** xmp dates: seconds, UTC. */
const xmpDate = (d: Date) => `${d.toISOString().slice(0, 19)}Z`;

function extensionSchema(): string {
  const properties = Object.entries(PROPERTIES)
    .map(
      ([name, description]) => `<rdf:li rdf:parseType="Resource">
<pdfaProperty:name>${name}</pdfaProperty:name><pdfaProperty:valueType>Text</pdfaProperty:valueType>
<pdfaProperty:category>external</pdfaProperty:category><pdfaProperty:description>${escapeXml(description)}</pdfaProperty:description>
</rdf:li>`,
    )
    .join("\n");
  return `<rdf:Description rdf:about="" xmlns:pdfaExtension="http://www.aiim.org/pdfa/ns/extension/"
 xmlns:pdfaSchema="http://www.aiim.org/pdfa/ns/schema#" xmlns:pdfaProperty="http://www.aiim.org/pdfa/ns/property#">
<pdfaExtension:schemas><rdf:Bag><rdf:li rdf:parseType="Resource">
<pdfaSchema:schema>Apology letter (phiếu xin lỗi)</pdfaSchema:schema>
<pdfaSchema:namespaceURI>${LETTER_NS}</pdfaSchema:namespaceURI><pdfaSchema:prefix>${PREFIX}</pdfaSchema:prefix>
<pdfaSchema:property><rdf:Seq>
${properties}
</rdf:Seq></pdfaSchema:property>
</rdf:li></rdf:Bag></pdfaExtension:schemas>
</rdf:Description>`;
}

function factsDescription(facts: ArchiveFacts): string {
  const fields = (Object.keys(PROPERTIES) as (keyof ArchiveFacts)[])
    .map((name) => `<${PREFIX}:${name}>${escapeXml(facts[name])}</${PREFIX}:${name}>`)
    .join("\n");
  return `<rdf:Description rdf:about="" xmlns:${PREFIX}="${LETTER_NS}">\n${fields}\n</rdf:Description>`;
}

/** The rdf:Description elements pdfkit wraps in its xmpmeta packet. */
export function xmpDescriptions(info: XmpInfo): string {
  const date = xmpDate(info.createdAt);
  const parts = [
    `<rdf:Description rdf:about="" xmlns:pdfaid="http://www.aiim.org/pdfa/ns/id/">
<pdfaid:part>${info.part}</pdfaid:part><pdfaid:conformance>${info.conformance}</pdfaid:conformance>
</rdf:Description>`,
    `<rdf:Description rdf:about="" xmlns:xmp="http://ns.adobe.com/xap/1.0/">
<xmp:CreateDate>${date}</xmp:CreateDate><xmp:ModifyDate>${date}</xmp:ModifyDate>
<xmp:CreatorTool>${escapeXml(info.creator)}</xmp:CreatorTool>
</rdf:Description>`,
    `<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/">
<dc:format>application/pdf</dc:format>
<dc:title><rdf:Alt><rdf:li xml:lang="x-default">${escapeXml(info.title)}</rdf:li></rdf:Alt></dc:title>
<dc:creator><rdf:Seq><rdf:li>${escapeXml(info.author)}</rdf:li></rdf:Seq></dc:creator>
<dc:description><rdf:Alt><rdf:li xml:lang="x-default">${escapeXml(info.subject)}</rdf:li></rdf:Alt></dc:description>
</rdf:Description>`,
    `<rdf:Description rdf:about="" xmlns:pdf="http://ns.adobe.com/pdf/1.3/">
<pdf:Producer>${escapeXml(info.producer)}</pdf:Producer>${info.keywords ? `\n<pdf:Keywords>${escapeXml(info.keywords)}</pdf:Keywords>` : ""}
</rdf:Description>`,
  ];
  if (info.facts) parts.push(extensionSchema(), factsDescription(info.facts));
  return parts.join("\n");
}
