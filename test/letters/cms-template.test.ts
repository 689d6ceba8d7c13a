// Containers are pkijs's encoding with the digest and the signature replaced (cms.ts): the bytes
// must be the ones pkijs gives for the same digest and key, whatever the digest.
import { createHash } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { encodeContainer, signDetached } from "../../src/letters/signing/cms.js";
import { identityFromPkcs12, type SigningIdentity } from "../../src/letters/signing/identity.js";
import { createTestCa } from "./helpers/test-ca.js";

let identity: SigningIdentity;

beforeAll(async () => {
  const ca = createTestCa();
  const p12 = ca.issue({ commonName: "Lê Văn Cường", organization: "Ủy ban nhân dân xã Ninh Sơn" }, "p");
  identity = await identityFromPkcs12(p12, "p", "test.p12");
});

describe("signDetached", () => {
  it("gives pkijs's container for the same digest, byte for byte", async () => {
    const digests = [
      new Uint8Array(32),
      new Uint8Array(32).fill(0xff),
      ...Array.from(
        { length: 8 },
        (_, i) => new Uint8Array(createHash("sha256").update(`letter ${i}`).digest()),
      ),
    ];
    for (const digest of digests) {
      const expected = (await encodeContainer(identity, digest)).der;
      expect(Buffer.from(await signDetached(identity, digest)).equals(Buffer.from(expected))).toBe(true);
    }
  });

  it("refuses anything but a SHA-256 digest", async () => {
    await expect(signDetached(identity, new Uint8Array(20))).rejects.toThrow(/32 bytes/);
  });
});
