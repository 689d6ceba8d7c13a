// Filling a letter's signature field: @signpdf/signpdf computes the byte range (the whole file but
// the /Contents hole), hands those bytes to our signer and writes the container, hex-encoded, into
// the hole — the file keeps its length and every offset of its cross-reference table.
import { createHash } from "node:crypto";
import { SignPdf } from "@signpdf/signpdf";
import { Signer } from "@signpdf/utils";
import { signDetached } from "./cms.js";
import type { SigningIdentity } from "./identity.js";

class CadesSigner extends Signer {
  constructor(private readonly identity: SigningIdentity) {
    super();
  }

  override async sign(byteRange: Buffer): Promise<Buffer> {
    const digest = createHash("sha256").update(byteRange).digest();
    return Buffer.from(await signDetached(this.identity, digest));
  }
}

/** The signed file: `pdf` must hold one signature field (placeholder.ts) sized for `identity`. */
export async function fillSignature(pdf: Buffer, identity: SigningIdentity): Promise<Buffer> {
  return new SignPdf().sign(pdf, new CadesSigner(identity));
}
