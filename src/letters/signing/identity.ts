// A signing identity: the private key and certificate chain of a PKCS#12 file (.p12/.pfx), as
// Vietnamese CAs issue them to agencies. node-forge opens the file (legacy 3DES/RC2 and PBES2/AES
// bags alike, which WebCrypto cannot decrypt); the key is then handed to WebCrypto as a
// non-extractable CryptoKey, so signing is native and the key's bytes stay nowhere in memory we own.
import forge from "node-forge";
import * as pkijs from "pkijs";

export interface SigningIdentity {
  /** Where it came from, for messages: "SIGNING_P12_PATH" or "<dir>/<agency code>.p12". Never the passphrase. */
  label: string;
  privateKey: CryptoKey;
  /** The signer's certificate first, then its issuers as far as the file holds them. */
  chain: pkijs.Certificate[];
  /** DER of `chain[0]`, for the ESS signing-certificate-v2 hash. */
  certificateDer: Uint8Array<ArrayBuffer>;
  /** The certificate subject's common name and organisation, shown in the visible signature block. */
  subjectName: string;
  organization: string | null;
  issuerName: string;
  serialNumber: string;
  /** Bytes the CMS container will take at most: the /Contents placeholder is sized from it. */
  containerBytes: number;
}

const bytesOf = (binary: string) => Uint8Array.from(binary, (c) => c.charCodeAt(0));
const binaryOf = (bytes: Uint8Array) => forge.util.binary.raw.encode(bytes);

/** A name attribute as text: forge leaves UTF8String values as their bytes. */
function attribute(name: forge.pki.CertificateField[] | undefined, short: string): string | null {
  const value = name?.find((f) => f.shortName === short)?.value;
  if (typeof value !== "string") return null;
  try {
    return forge.util.decodeUtf8(value);
  } catch {
    return value; // PrintableString or another single-byte form
  }
}

function bagsOf(p12: forge.pkcs12.Pkcs12Pfx, type: string): forge.pkcs12.Bag[] {
  return p12.getBags({ bagType: type })[type] ?? [];
}

/** The certificates from the signer's up: each next one is the issuer of the one before. */
function orderChain(leaf: forge.pki.Certificate, all: forge.pki.Certificate[]): forge.pki.Certificate[] {
  const chain = [leaf];
  let current = leaf;
  while (!current.isIssuer(current)) {
    const issuer = all.find((c) => !chain.includes(c) && c.isIssuer(current));
    if (!issuer) break;
    chain.push(issuer);
    current = issuer;
  }
  return chain;
}

function matchesKey(cert: forge.pki.Certificate, key: forge.pki.rsa.PrivateKey): boolean {
  const publicKey = cert.publicKey as forge.pki.rsa.PublicKey;
  return publicKey.n?.equals(key.n) === true && publicKey.e?.equals(key.e) === true;
}

/**
 * Opens a PKCS#12 file. Throws (naming `label`, never the passphrase) when the passphrase is wrong,
 * the file holds no RSA key, or no certificate matches its key.
 */
export async function identityFromPkcs12(
  bytes: Uint8Array,
  passphrase: string,
  label: string,
): Promise<SigningIdentity> {
  let p12: forge.pkcs12.Pkcs12Pfx;
  try {
    p12 = forge.pkcs12.pkcs12FromAsn1(forge.asn1.fromDer(binaryOf(bytes)), false, passphrase);
  } catch (error) {
    const why = error instanceof Error ? error.message : String(error);
    throw new Error(`${label}: cannot open the PKCS#12 file (wrong passphrase or not a .p12): ${why}`);
  }
  const keyBag = [
    ...bagsOf(p12, forge.pki.oids.pkcs8ShroudedKeyBag),
    ...bagsOf(p12, forge.pki.oids.keyBag),
  ].find((b) => b.key);
  const key = keyBag?.key as forge.pki.rsa.PrivateKey | undefined;
  if (!key?.n) throw new Error(`${label}: the PKCS#12 file holds no RSA private key`);
  const certificates = bagsOf(p12, forge.pki.oids.certBag).flatMap((b) => (b.cert ? [b.cert] : []));
  const leaf = certificates.find((c) => matchesKey(c, key));
  if (!leaf) throw new Error(`${label}: no certificate in the PKCS#12 file matches its private key`);

  const chainDer = orderChain(leaf, certificates).map((c) =>
    bytesOf(forge.asn1.toDer(forge.pki.certificateToAsn1(c)).getBytes()),
  );
  const pkcs8 = bytesOf(
    forge.asn1.toDer(forge.pki.wrapRsaPrivateKey(forge.pki.privateKeyToAsn1(key))).getBytes(),
  );
  const privateKey = await crypto.subtle.importKey(
    "pkcs8",
    pkcs8,
    { name: "RSASSA-PKCS1-v1_5", hash: "SHA-256" },
    false,
    ["sign"],
  );
  pkcs8.fill(0);
  const keyBytes = Math.ceil(key.n.bitLength() / 8);
  return {
    label,
    privateKey,
    chain: chainDer.map((der) => pkijs.Certificate.fromBER(der)),
    certificateDer: chainDer[0],
    subjectName: attribute(leaf.subject.attributes, "CN") ?? label,
    organization: attribute(leaf.subject.attributes, "O"),
    issuerName: attribute(leaf.issuer.attributes, "CN") ?? "",
    serialNumber: leaf.serialNumber,
    // The certificates, the signature, and room for the attributes and the ASN.1 framing.
    containerBytes: chainDer.reduce((n, der) => n + der.length, 0) + keyBytes + 1024,
  };
}
