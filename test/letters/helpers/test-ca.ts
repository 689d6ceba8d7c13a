// A throw-away certification authority for the signing tests, made fresh in every run: a root CA
// and a signer certificate issued by it, packed with the key as PKCS#12 the way CAs deliver them.
// Certificates are built and signed with node-forge; the RSA keys come from node:crypto, which
// makes a 2048-bit key in milliseconds where forge's pure-JS generator takes seconds. Nothing is
// written to the repository.
import { generateKeyPairSync } from "node:crypto";
import forge from "node-forge";

export interface TestCa {
  /** The root certificate, PEM: what a verifier must trust (pdfsig's NSS database, a JS check). */
  rootPem: string;
  rootDer: Uint8Array;
  /** Issues a signer certificate and returns its PKCS#12 (key, certificate, root). */
  issue(subject: SubjectNames, passphrase: string, options?: IssueOptions): Uint8Array;
}

export interface SubjectNames {
  commonName: string;
  organization?: string;
}

export interface IssueOptions {
  /** PKCS#12 bag encryption; forge's default is AES-128, CAs often still ship 3DES. */
  algorithm?: "aes128" | "aes256" | "3des";
  bits?: number;
}

function rsaKeys(bits: number) {
  const { privateKey } = generateKeyPairSync("rsa", { modulusLength: bits });
  const key = forge.pki.privateKeyFromPem(privateKey.export({ type: "pkcs1", format: "pem" }).toString());
  return { privateKey: key, publicKey: forge.pki.setRsaPublicKey(key.n, key.e) };
}

let serial = 0x1000;

function names(subject: SubjectNames): forge.pki.CertificateField[] {
  const utf8 = forge.asn1.Type.UTF8;
  return [
    { shortName: "C", value: "VN" },
    ...(subject.organization ? [{ shortName: "O", value: subject.organization, valueTagClass: utf8 }] : []),
    { shortName: "CN", value: subject.commonName, valueTagClass: utf8 },
  ] as forge.pki.CertificateField[];
}

function certificate(
  subject: SubjectNames,
  publicKey: forge.pki.PublicKey,
  issuer: { names: forge.pki.CertificateField[]; key: forge.pki.rsa.PrivateKey },
  extensions: object[],
): forge.pki.Certificate {
  const cert = forge.pki.createCertificate();
  cert.publicKey = publicKey;
  serial += 1;
  cert.serialNumber = serial.toString(16).padStart(6, "0");
  cert.validity.notBefore = new Date("2024-01-01T00:00:00Z");
  cert.validity.notAfter = new Date("2036-01-01T00:00:00Z");
  cert.setSubject(names(subject));
  cert.setIssuer(issuer.names);
  cert.setExtensions(extensions);
  cert.sign(issuer.key, forge.md.sha256.create());
  return cert;
}

const der = (cert: forge.pki.Certificate) =>
  Uint8Array.from(forge.asn1.toDer(forge.pki.certificateToAsn1(cert)).getBytes(), (c) => c.charCodeAt(0));

export function createTestCa(name = "CA thử nghiệm Một cửa"): TestCa {
  const rootKeys = rsaKeys(2048);
  const rootNames = names({ commonName: name, organization: "Ban Cơ yếu thử nghiệm" });
  const root = certificate(
    { commonName: name, organization: "Ban Cơ yếu thử nghiệm" },
    rootKeys.publicKey,
    {
      names: rootNames,
      key: rootKeys.privateKey,
    },
    [
      { name: "basicConstraints", cA: true, critical: true },
      { name: "keyUsage", keyCertSign: true, cRLSign: true, critical: true },
      { name: "subjectKeyIdentifier" },
    ],
  );
  return {
    rootPem: forge.pki.certificateToPem(root),
    rootDer: der(root),
    issue(subject, passphrase, options = {}) {
      const keys = rsaKeys(options.bits ?? 2048);
      const leaf = certificate(subject, keys.publicKey, { names: rootNames, key: rootKeys.privateKey }, [
        { name: "basicConstraints", cA: false },
        { name: "keyUsage", digitalSignature: true, nonRepudiation: true, critical: true },
        { name: "subjectKeyIdentifier" },
      ]);
      const p12 = forge.pkcs12.toPkcs12Asn1(keys.privateKey, [leaf, root], passphrase, {
        algorithm: options.algorithm ?? "aes256",
        friendlyName: subject.commonName,
      });
      return Uint8Array.from(forge.asn1.toDer(p12).getBytes(), (c) => c.charCodeAt(0));
    },
  };
}
