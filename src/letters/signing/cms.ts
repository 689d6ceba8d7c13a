// The signature container of a PAdES baseline B-B signature (ETSI EN 319 142-1): a detached CMS
// SignedData (RFC 5652) over the PDF's byte range, SHA-256, with the signed attributes content-type,
// message-digest and ESS signing-certificate-v2 (RFC 5035: the signer's certificate is protected by
// the signature), and the certificate chain. EN 319 142-1 forbids the CMS signing-time attribute in
// PAdES: the claimed time of signing is the signature dictionary's /M (placeholder.ts).
// pkijs builds and encodes the structures; WebCrypto computes the digest and the RSA signature.
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

const sha256 = async (bytes: Uint8Array<ArrayBuffer>) =>
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
    value: [new asn1js.OctetString({ valueHex: await sha256(identity.certificateDer) }), issuerSerial],
  });
  return new asn1js.Sequence({ value: [new asn1js.Sequence({ value: [essCertId] })] });
}

/** The DER of a ContentInfo holding the detached SignedData over `content` (the PDF's byte range). */
export async function signDetached(
  identity: SigningIdentity,
  content: Uint8Array<ArrayBuffer>,
): Promise<Uint8Array> {
  const certificate = identity.chain[0];
  const attributes = [
    new pkijs.Attribute({
      type: OID.contentType,
      values: [new asn1js.ObjectIdentifier({ value: OID.data })],
    }),
    new pkijs.Attribute({
      type: OID.messageDigest,
      values: [new asn1js.OctetString({ valueHex: await sha256(content) })],
    }),
    new pkijs.Attribute({ type: OID.signingCertificateV2, values: [await signingCertificateV2(identity)] }),
  ];
  const signedData = new pkijs.SignedData({
    version: 1,
    encapContentInfo: new pkijs.EncapsulatedContentInfo({ eContentType: OID.data }),
    signerInfos: [
      new pkijs.SignerInfo({
        version: 1,
        sid: new pkijs.IssuerAndSerialNumber({
          issuer: certificate.issuer,
          serialNumber: certificate.serialNumber,
        }),
        signedAttrs: new pkijs.SignedAndUnsignedAttributes({ type: 0, attributes }),
      }),
    ],
    certificates: identity.chain,
  });
  await signedData.sign(identity.privateKey, 0, "SHA-256");
  const contentInfo = new pkijs.ContentInfo({
    contentType: OID.signedData,
    content: signedData.toSchema(true),
  });
  return new Uint8Array(contentInfo.toSchema().toBER(false));
}
