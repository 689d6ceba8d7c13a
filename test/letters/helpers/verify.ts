// Two independent verifiers of a signed letter, as a citizen's or an archive's software would:
// poppler's pdfsig (NSS underneath), and a check in JavaScript with node-forge — not pkijs, which
// made the signature — over the byte range: the CMS's message digest against SHA-256 of the signed
// bytes, the RSA signature over the signed attributes, the certificate against the test root.
import { execFileSync, spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import forge from "node-forge";

export function withPdfFile<T>(pdf: Uint8Array, use: (file: string, dir: string) => T): T {
  const dir = mkdtempSync(join(tmpdir(), "letters-sig-"));
  try {
    const file = join(dir, "letter.pdf");
    writeFileSync(file, pdf);
    return use(file, dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** pdfsig's report (it exits non-zero for an invalid signature: the text is what we read). */
export function pdfsig(pdf: Uint8Array): string {
  return withPdfFile(pdf, (file) => {
    const run = spawnSync("pdfsig", [file], { encoding: "utf8" });
    return `${run.stdout}${run.stderr}`;
  });
}

/** The QR codes zbarimg reads on the first page rendered at 200 dpi (pdftoppm). */
export function decodeQrCodes(pdf: Uint8Array): string[] {
  return withPdfFile(pdf, (file, dir) => {
    execFileSync("pdftoppm", ["-r", "200", "-png", "-f", "1", "-l", "1", file, join(dir, "page")]);
    const run = spawnSync(
      "zbarimg",
      ["--quiet", "--raw", "-Sdisable", "-Sqrcode.enable", join(dir, "page-1.png")],
      {
        encoding: "utf8",
      },
    );
    return run.stdout.split("\n").filter(Boolean);
  });
}

export interface JsVerdict {
  valid: boolean;
  problem?: "digest" | "signature" | "certificate" | "coverage";
  signerName?: string;
}

const OID_MESSAGE_DIGEST = "1.2.840.113549.1.9.4";
const binary = (bytes: Uint8Array) => Buffer.from(bytes).toString("binary");

function byteRangeOf(pdf: Buffer): [number, number, number, number] {
  const text = pdf.toString("latin1");
  const at = text.lastIndexOf("/ByteRange");
  const match = /\/ByteRange\s*\[\s*(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s*\]/.exec(text.slice(at));
  if (!match) throw new Error("no /ByteRange");
  return [Number(match[1]), Number(match[2]), Number(match[3]), Number(match[4])];
}

export function verifyWithForge(pdfBytes: Uint8Array, rootDer: Uint8Array): JsVerdict {
  const pdf = Buffer.from(pdfBytes);
  const [a, b, c, d] = byteRangeOf(pdf);
  if (a !== 0 || c + d !== pdf.length) return { valid: false, problem: "coverage" };
  const signed = Buffer.concat([pdf.subarray(a, a + b), pdf.subarray(c, c + d)]);
  const hex = pdf.subarray(b + 1, c - 1).toString("latin1");
  // /Contents is zero-padded after the container: parse the one DER object at its start (forge's
  // options object, which @types/node-forge does not declare).
  const fromDer = forge.asn1.fromDer as unknown as (
    bytes: string,
    options: { parseAllBytes: boolean },
  ) => forge.asn1.Asn1;
  const cms = fromDer(forge.util.hexToBytes(hex), { parseAllBytes: false });
  const message = forge.pkcs7.messageFromAsn1(cms) as forge.pkcs7.PkcsSignedData & {
    rawCapture: { signerInfos: forge.asn1.Asn1[] };
  };
  const signerInfo = message.rawCapture.signerInfos[0].value as forge.asn1.Asn1[];
  const signedAttrs = signerInfo.find(
    (n) => n.tagClass === forge.asn1.Class.CONTEXT_SPECIFIC && n.type === 0,
  );
  const signature = signerInfo[signerInfo.length - 1].value as string;
  if (!signedAttrs) return { valid: false, problem: "signature" };
  const attributes = signedAttrs.value as forge.asn1.Asn1[];
  const digestAttribute = attributes.find(
    (attr) =>
      forge.asn1.derToOid((attr.value as forge.asn1.Asn1[])[0].value as string) === OID_MESSAGE_DIGEST,
  );
  if (!digestAttribute) return { valid: false, problem: "digest" };
  const digestSet = (digestAttribute.value as forge.asn1.Asn1[])[1].value as forge.asn1.Asn1[];
  const claimed = Buffer.from(digestSet[0].value as string, "binary");
  if (!claimed.equals(createHash("sha256").update(signed).digest()))
    return { valid: false, problem: "digest" };
  // The signature covers the attributes' DER with the SET tag, not the [0] they are stored under.
  const attributesDer = Buffer.from(forge.asn1.toDer(signedAttrs).getBytes(), "binary");
  attributesDer[0] = 0x31;
  const certificate = message.certificates[0];
  const md = forge.md.sha256.create();
  md.update(binary(attributesDer));
  const publicKey = certificate.publicKey as forge.pki.rsa.PublicKey;
  if (!publicKey.verify(md.digest().getBytes(), signature)) return { valid: false, problem: "signature" };
  const root = forge.pki.certificateFromAsn1(forge.asn1.fromDer(binary(rootDer)));
  if (!issuedBy(root, certificate)) return { valid: false, problem: "certificate" };
  const cn = certificate.subject.getField("CN")?.value as string | undefined;
  return { valid: true, signerName: cn ? forge.util.decodeUtf8(cn) : undefined };
}

/** forge's verify throws, rather than answering false, for a certificate another CA issued. */
function issuedBy(root: forge.pki.Certificate, certificate: forge.pki.Certificate): boolean {
  try {
    return root.verify(certificate);
  } catch {
    return false;
  }
}
