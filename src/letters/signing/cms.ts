// The signature container of a PAdES baseline B-B signature (ETSI EN 319 142-1): a detached CMS
// SignedData (RFC 5652) over the PDF's byte range, SHA-256, with the signed attributes content-type,
// message-digest and ESS signing-certificate-v2 (RFC 5035: the signer's certificate is protected by
// the signature), and the certificate chain. EN 319 142-1 forbids the CMS signing-time attribute in
// PAdES: the claimed time of signing is the signature dictionary's /M (placeholder.ts).
// pkijs builds and encodes the structures once per identity; every later container is that one
// with its two varying parts replaced (containerTemplate). WebCrypto computes the RSA signature.
import * as asn1js from "asn1js";
import * as pkijs from "pkijs";
import type { SigningIdentity } from "./identity.js";

const OID = {
  data: "1.2.840.113549.1.7.1",
  signedData: "1.2.840.113549.1.7.2",
  contentType: "1.2.840.113549.1.9.3",
  messageDigest: "1.2.840.113549.1.9.4",
  signingCertificateV2: "1.2.840.113549.1.9.16.2.47",
} as const;

const sha256Async = async (bytes: Uint8Array<ArrayBuffer>) =>
  new Uint8Array(await crypto.subtle.digest("SHA-256", bytes));

/**
 * SigningCertificateV2 ::= SEQUENCE { certs SEQUENCE OF ESSCertIDv2 }, one ESSCertIDv2 for the
 * signer: { certHash, issuerSerial } — hashAlgorithm omitted, SHA-256 being its DER default.
 */
async function signingCertificateV2(identity: SigningIdentity): Promise<asn1js.Sequence> {
  const certificate = identity.chain[0];
  const issuerSerial = new asn1js.Sequence({
    value: [
      new pkijs.GeneralNames({
        names: [new pkijs.GeneralName({ type: 4, value: certificate.issuer })],
      }).toSchema(),
      certificate.serialNumber,
    ],
  });
  const essCertId = new asn1js.Sequence({
    value: [new asn1js.OctetString({ valueHex: await sha256Async(identity.certificateDer) }), issuerSerial],
  });
  return new asn1js.Sequence({ value: [new asn1js.Sequence({ value: [essCertId] })] });
}

/** The DER of a ContentInfo holding the detached SignedData over content whose SHA-256 is `digest`, as pkijs encodes it. */
export async function encodeContainer(
  identity: SigningIdentity,
  digest: Uint8Array<ArrayBuffer>,
): Promise<{
  der: Uint8Array;
  signedAttributes: Uint8Array;
  signature: Uint8Array;
}> {
  const certificate = identity.chain[0];
  const attributes = [
    new pkijs.Attribute({
      type: OID.contentType,
      values: [new asn1js.ObjectIdentifier({ value: OID.data })],
    }),
    new pkijs.Attribute({
      type: OID.messageDigest,
      values: [new asn1js.OctetString({ valueHex: digest })],
    }),
    new pkijs.Attribute({ type: OID.signingCertificateV2, values: [await signingCertificateV2(identity)] }),
  ];
  const signerInfo = new pkijs.SignerInfo({
    version: 1,
    sid: new pkijs.IssuerAndSerialNumber({
      issuer: certificate.issuer,
      serialNumber: certificate.serialNumber,
    }),
    signedAttrs: new pkijs.SignedAndUnsignedAttributes({ type: 0, attributes }),
  });
  const signedData = new pkijs.SignedData({
    version: 1,
    encapContentInfo: new pkijs.EncapsulatedContentInfo({ eContentType: OID.data }),
    signerInfos: [signerInfo],
    certificates: identity.chain,
  });
  await signedData.sign(identity.privateKey, 0, "SHA-256");
  const contentInfo = new pkijs.ContentInfo({
    contentType: OID.signedData,
    content: signedData.toSchema(true),
  });
  return {
    der: new Uint8Array(contentInfo.toSchema().toBER(false)),
    signedAttributes: new Uint8Array(signerInfo.signedAttrs?.toSchema().toBER(false) ?? new ArrayBuffer(0)),
    signature: signerInfo.signature.valueBlock.valueHexView.slice(),
  };
}

/**
 * A container of the identity with a known digest, and where in it the digest and the signature
 * lie. With SHA-256 and RSA PKCS#1 v1.5 every container of one identity has the same length and
 * the same bytes but those two: the digest in the signed attributes, and the signature (always
 * the modulus' length). Encoding them with pkijs was two thirds of signing a letter.
 */
interface ContainerTemplate {
  der: Uint8Array;
  /** The signed attributes as signed: DER of a SET (the container holds them as [0] IMPLICIT). */
  signedAttributes: Uint8Array;
  digestInAttributes: number;
  digestInDer: number;
  signatureInDer: number;
  signatureLength: number;
}

const templates = new WeakMap<SigningIdentity, Promise<ContainerTemplate>>();

function indexOfBytes(haystack: Uint8Array, needle: Uint8Array): number {
  const at = Buffer.from(haystack.buffer, haystack.byteOffset, haystack.byteLength).indexOf(needle);
  if (at < 0) throw new Error("CMS template: a part was not found in the container");
  return at;
}

async function buildTemplate(identity: SigningIdentity): Promise<ContainerTemplate> {
  // A digest no real one will equal in practice, so that it is found only where it was put.
  const digest = new Uint8Array(32).map((_, i) => 0xa5 ^ (i * 37));
  const { der, signedAttributes, signature } = await encodeContainer(identity, digest);
  const attributes = signedAttributes.slice();
  attributes[0] = 0x31; // SET OF, as signed (RFC 5652, 5.4)
  const signatureInDer = indexOfBytes(der, signature);
  if (signatureInDer + signature.length > der.length) throw new Error("CMS template: signature out of range");
  return {
    der,
    signedAttributes: attributes,
    digestInAttributes: indexOfBytes(attributes, digest),
    digestInDer: indexOfBytes(der, digest),
    signatureInDer,
    signatureLength: signature.length,
  };
}

/** The identity's container template, built on first use. */
function containerTemplate(identity: SigningIdentity): Promise<ContainerTemplate> {
  let template = templates.get(identity);
  if (!template) {
    template = buildTemplate(identity);
    templates.set(identity, template);
  }
  return template;
}

/**
 * The DER of a ContentInfo holding the detached SignedData over content whose SHA-256 is `digest`
 * (the PDF's byte range): the same bytes encodeContainer gives.
 */
export async function signDetached(identity: SigningIdentity, digest: Uint8Array): Promise<Uint8Array> {
  if (digest.length !== 32) throw new Error("signDetached: a SHA-256 digest is 32 bytes");
  const template = await containerTemplate(identity);
  const attributes = template.signedAttributes.slice();
  attributes.set(digest, template.digestInAttributes);
  const signature = new Uint8Array(
    await crypto.subtle.sign({ name: "RSASSA-PKCS1-v1_5" }, identity.privateKey, attributes),
  );
  if (signature.length !== template.signatureLength)
    throw new Error("signDetached: unexpected signature length");
  const der = template.der.slice();
  der.set(digest, template.digestInDer);
  der.set(signature, template.signatureInDer);
  return der;
}
