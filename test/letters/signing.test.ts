// A letter signed with a throw-away CA (PAdES baseline B-B), checked by two independent verifiers —
// poppler's pdfsig and a node-forge check over the byte range — and broken by one changed byte;
// the archive metadata (PDF 1.7, XMP, PDF/A-2b identification) read back; PKCS#12 files as CAs and
// openssl make them; the unsigned letter saying so.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { renderInCallerThread } from "../../src/letters/renderer.js";
import { letterFile } from "../../src/letters/signed-letter.js";
import { identityFromPkcs12, type SigningIdentity } from "../../src/letters/signing/identity.js";
import { signerFor } from "../../src/letters/signing/keys.js";
import { type LetterFonts, loadLetterFonts } from "../../src/pdf/fonts.js";
import { pdfFlatText, pdfInfo } from "../helpers/pdf.js";
import { sampleLetter } from "./helpers/sample-letter.js";
import { createTestCa, type TestCa } from "./helpers/test-ca.js";
import { decodeQrCodes, pdfsig, verifyWithForge } from "./helpers/verify.js";

const PASSPHRASE = "mật-khẩu thử";

const letter = sampleLetter;

let fonts: LetterFonts;
let ca: TestCa;
let identity: SigningIdentity;

beforeAll(async () => {
  fonts = await loadLetterFonts();
  ca = createTestCa();
  const p12 = ca.issue(
    { commonName: "Lê Văn Cường", organization: "Ủy ban nhân dân xã Ninh Sơn" },
    PASSPHRASE,
  );
  identity = await identityFromPkcs12(p12, PASSPHRASE, "test.p12");
});

describe("a signed letter", () => {
  it("is valid and unmodified for pdfsig, and the JavaScript verifier agrees", async () => {
    const { pdf, sha256, signature } = await letterFile(renderInCallerThread(fonts), letter(), identity);
    const report = pdfsig(pdf);
    expect(report).toContain("Signature Type: ETSI.CAdES.detached");
    expect(report).toContain("Signing Hash Algorithm: SHA-256");
    expect(report).toContain("Signature Validation: Signature is Valid.");
    expect(report).toContain("Total document signed");
    expect(report).toContain("Signer Certificate Common Name: Lê Văn Cường");
    // The claimed time of signing (/M): the issue time.
    expect(report).toContain("Signing Time: Aug 07 2025 02:00:00");
    expect(verifyWithForge(pdf, ca.rootDer)).toEqual({ valid: true, signerName: "Lê Văn Cường" });
    expect(signature).toMatchObject({
      level: "PAdES-B-B",
      signerName: "Lê Văn Cường",
      issuer: "CA thử nghiệm Một cửa",
    });
    expect(sha256).toMatch(/^[0-9a-f]{64}$/);
  });

  it("is invalid for both verifiers once one byte of the file changes", async () => {
    const { pdf } = await letterFile(renderInCallerThread(fonts), letter(), identity);
    const tampered = Buffer.from(pdf);
    // A byte of the binary comment on line 2: the file still parses, the signed bytes differ.
    tampered[10] ^= 0x01;
    const report = pdfsig(tampered);
    expect(report).not.toContain("Signature is Valid");
    expect(report).toMatch(/Digest Mismatch|Signature is Invalid/);
    expect(verifyWithForge(tampered, ca.rootDer)).toEqual({ valid: false, problem: "digest" });
    // A byte of the text itself (the page content stream lies in the signed range).
    const other = Buffer.from(pdf);
    const middle = Math.floor(other.length / 2);
    other[middle] ^= 0xff;
    expect(verifyWithForge(other, ca.rootDer).valid).toBe(false);
    expect(pdfsig(other)).not.toContain("Signature is Valid");
  });

  it("is rejected by the JavaScript verifier against another CA", async () => {
    const { pdf } = await letterFile(renderInCallerThread(fonts), letter(), identity);
    expect(verifyWithForge(pdf, createTestCa("Another CA").rootDer)).toEqual({
      valid: false,
      problem: "certificate",
    });
  });

  it("shows the visible signature where the signer block is, and the QR code holds the status URL", async () => {
    const { pdf } = await letterFile(renderInCallerThread(fonts), letter(), identity);
    const text = pdfFlatText(pdf);
    expect(text).toMatch(
      /PHÓ CHỦ TỊCH Ký bởi: Lê Văn Cường Cơ quan: Ủy ban nhân dân xã Ninh Sơn Thời gian ký: 2025-08-07T09:00:00\+07:00 Lê Văn Cường/,
    );
    expect(decodeQrCodes(pdf)).toEqual(["https://motcua.khanhhoa.gov.vn/tra-cuu/Ab3dEf6hIj9kLm2nOp5qRs"]);
  });

  it("is PDF 1.7 with XMP metadata: PDF/A-2b identification, title, agency, dossier code, form", async () => {
    const { pdf } = await letterFile(
      renderInCallerThread(fonts),
      letter({ agency: { ...letter().agency, name: "UBND xã A & B <thử>" } }),
      identity,
    );
    expect(pdf.subarray(0, 8).toString()).toBe("%PDF-1.7");
    const info = pdfInfo(pdf);
    expect(info["PDF version"]).toBe("1.7");
    expect(info.Keywords).toContain("ký số PAdES-B-B");
    const xmp = withMetadata(pdf);
    expect(xmp).toContain("<pdfaid:part>2</pdfaid:part><pdfaid:conformance>B</pdfaid:conformance>");
    expect(xmp).toContain("<pxl:agency>UBND xã A &amp; B &lt;thử&gt;</pxl:agency>");
    expect(xmp).toContain("<pxl:dossierCode>000.00.20.H47-250724-0001</pxl:dossierCode>");
    expect(xmp).toContain("<pxl:letterNumber>12/PXL-NS</pxl:letterNumber>");
    expect(xmp).toContain("<pxl:signature>PAdES-B-B</pxl:signature>");
    expect(xmp).toMatch(/<pxl:form>tt03-2025 \(/);
    expect(xmp).toContain(
      "<pdfaSchema:namespaceURI>urn:one-stop-compliance-monitor:letter:1</pdfaSchema:namespaceURI>",
    );
    expect(xmp).toContain("<xmp:ModifyDate>2025-08-07T02:00:00Z</xmp:ModifyDate>");
  });

  it("gives the same bytes for the same input and key (RSA PKCS#1 v1.5 is deterministic)", async () => {
    const a = await letterFile(renderInCallerThread(fonts), letter(), identity);
    const b = await letterFile(renderInCallerThread(fonts), letter(), identity);
    expect(a.sha256).toBe(b.sha256);
  });
});

describe("without a key", () => {
  it("is the unsigned letter, and its metadata says so", async () => {
    const { pdf, signature } = await letterFile(renderInCallerThread(fonts), letter(), null);
    expect(signature).toBeNull();
    expect(pdfsig(pdf)).toMatch(/does not contain any signatures/);
    expect(pdfInfo(pdf).Keywords).toContain("chưa ký số");
    expect(withMetadata(pdf)).toContain("<pxl:signature>unsigned</pxl:signature>");
    expect(pdfFlatText(pdf)).not.toContain("Ký bởi");
  });
});

describe("PKCS#12 files", () => {
  it("opens 3DES (legacy CA tools) and openssl's default PBES2/AES files", async () => {
    const legacy = ca.issue({ commonName: "Trần Thị B" }, "pw", { algorithm: "3des" });
    expect((await identityFromPkcs12(legacy, "pw", "legacy.p12")).subjectName).toBe("Trần Thị B");
    const dir = mkdtempSync(join(tmpdir(), "p12-"));
    try {
      execFileSync(
        "openssl",
        [
          "req",
          "-x509",
          "-newkey",
          "rsa:2048",
          "-nodes",
          "-days",
          "30",
          "-subj",
          "/CN=OpenSSL Signer/O=So Noi vu",
          "-keyout",
          join(dir, "k.pem"),
          "-out",
          join(dir, "c.pem"),
        ],
        { stdio: "ignore" },
      );
      execFileSync(
        "openssl",
        [
          "pkcs12",
          "-export",
          "-inkey",
          join(dir, "k.pem"),
          "-in",
          join(dir, "c.pem"),
          "-passout",
          "pass:secret",
          "-out",
          join(dir, "s.p12"),
        ],
        { stdio: "ignore" },
      );
      const opened = await identityFromPkcs12(
        new Uint8Array(readFileSync(join(dir, "s.p12"))),
        "secret",
        "s.p12",
      );
      expect(opened).toMatchObject({ subjectName: "OpenSSL Signer", organization: "So Noi vu" });
      const { pdf } = await letterFile(renderInCallerThread(fonts), letter(), opened);
      expect(pdfsig(pdf)).toContain("Signature is Valid");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("refuses a wrong passphrase naming the file, never the passphrase", async () => {
    const p12 = ca.issue({ commonName: "C" }, "right-one");
    const error = await identityFromPkcs12(p12, "wrong-one", "SIGNING_P12_DIR/KH.p12").catch((e: Error) => e);
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toMatch(/^SIGNING_P12_DIR\/KH\.p12: cannot open/);
    expect((error as Error).message).not.toMatch(/right-one|wrong-one/);
  });

  it("picks the agency's own key, else the nearest ancestor's, else the province's", () => {
    const own = { ...identity, label: "own" };
    const parent = { ...identity, label: "parent" };
    const keys = {
      province: identity,
      agencies: new Map([
        ["X1", own],
        ["DEP", parent],
      ]),
    };
    expect(signerFor(keys, "/KH/DEP/X1/")?.label).toBe("own");
    expect(signerFor(keys, "/KH/DEP/X2/")?.label).toBe("parent");
    expect(signerFor(keys, "/KH/OTHER/")?.label).toBe("test.p12");
    expect(signerFor({ province: null, agencies: new Map() }, "/KH/")).toBeNull();
  });
});

/** The XMP packet as stored (uncompressed, as PDF/A asks). */
function withMetadata(pdf: Buffer): string {
  const text = pdf.toString("utf8");
  return text.slice(text.indexOf("<x:xmpmeta"), text.indexOf("</x:xmpmeta>"));
}
