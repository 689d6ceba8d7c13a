// Letters' services on Workers: the province's PKCS#12 from the secret SIGNING_P12_BASE64 (Workers
// have no file system, so no per-agency folder), opened once per isolate. No e-mail: Workers open
// no raw SMTP socket, so channel "email" is refused there.
import type { Env } from "../env.js";
import type { LetterServices } from "./services.js";
import { identityFromPkcs12, type SigningIdentity } from "./signing/identity.js";

let opened: Promise<SigningIdentity | null> | undefined;

export async function letterServicesFromWorkerEnv(env: Env): Promise<LetterServices> {
  opened ??= env.SIGNING_P12_BASE64
    ? identityFromPkcs12(
        Uint8Array.from(atob(env.SIGNING_P12_BASE64), (c) => c.charCodeAt(0)),
        env.SIGNING_P12_PASSPHRASE ?? "",
        "SIGNING_P12_BASE64",
      )
    : Promise.resolve(null);
  return {
    signing: { province: await opened, agencies: new Map() },
    publicBaseUrl: env.PUBLIC_BASE_URL ?? null,
    mailer: null,
  };
}
