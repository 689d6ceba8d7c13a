// A letter's file as stored and served: rendered, and signed when a key is configured for its
// agency (PAdES baseline B-B, visible where the signer block is). The stored bytes and their
// SHA-256 are the signed ones; without a key the letter is the unsigned render, and says so.
import { createHash } from "node:crypto";
import { type ApologyLetterInput, SIGNATURE_LEVEL } from "./render.js";
import type { LetterRenderer } from "./renderer.js";
import type { SigningIdentity } from "./signing/identity.js";
import { fillSignature } from "./signing/sign-pdf.js";

/** What a version records of its signature (letter_versions.signature); never key material. */
export interface StoredSignature {
  level: typeof SIGNATURE_LEVEL;
  signerName: string;
  organization: string | null;
  issuer: string;
  serialNumber: string;
  signedAt: string;
}

export interface LetterFile {
  pdf: Buffer;
  sha256: string;
  signature: StoredSignature | null;
}

/** A view of the same bytes (a render thread hands back a plain Uint8Array). */
const asBuffer = (bytes: Uint8Array): Buffer =>
  Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);

export const sha256Hex = (bytes: Uint8Array) => createHash("sha256").update(bytes).digest("hex");

/**
 * The letter's file. Signed as of its issue time (`input.issuedAt`), so a re-render of the same
 * input with the same key gives the same bytes (RSA PKCS#1 v1.5 signatures are deterministic).
 */
export async function letterFile(
  render: LetterRenderer,
  input: ApologyLetterInput,
  identity: SigningIdentity | null,
  signedAt: Date = input.issuedAt,
): Promise<LetterFile> {
  if (!identity) {
    const pdf = asBuffer(await render(input));
    return { pdf, sha256: sha256Hex(pdf), signature: null };
  }
  const stamp = {
    signerName: identity.subjectName,
    organization: identity.organization ?? input.agency.name,
    signedAt,
  };
  const placeholder = await render(input, { stamp, containerBytes: identity.containerBytes });
  const pdf = await fillSignature(asBuffer(placeholder), identity);
  return {
    pdf,
    sha256: sha256Hex(pdf),
    signature: {
      level: SIGNATURE_LEVEL,
      signerName: identity.subjectName,
      organization: identity.organization,
      issuer: identity.issuerName,
      serialNumber: identity.serialNumber,
      signedAt: signedAt.toISOString(),
    },
  };
}
