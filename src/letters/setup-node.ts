// Letters' services on Node, from the configuration (src/env.ts): the province's PKCS#12 at
// SIGNING_P12_PATH, agencies' own in SIGNING_P12_DIR named <agency code>.p12, all opened with
// SIGNING_P12_PASSPHRASE once at start — a wrong passphrase stops the service naming the file,
// never the passphrase; the SMTP transport when SMTP_HOST is set.
import { readdir, readFile } from "node:fs/promises";
import { basename, join } from "node:path";
import type { Env } from "../env.js";
import { smtpMailer } from "./email/smtp.js";
import type { LetterServices } from "./services.js";
import { identityFromPkcs12, type SigningIdentity } from "./signing/identity.js";

async function openFile(path: string, passphrase: string, label: string): Promise<SigningIdentity> {
  return identityFromPkcs12(new Uint8Array(await readFile(path)), passphrase, label);
}

async function agencyIdentities(dir: string, passphrase: string): Promise<Map<string, SigningIdentity>> {
  const files = (await readdir(dir)).filter((f) => f.toLowerCase().endsWith(".p12")).sort();
  const entries = await Promise.all(
    files.map(async (file) => {
      const code = basename(file, file.slice(-4));
      return [code, await openFile(join(dir, file), passphrase, `SIGNING_P12_DIR/${file}`)] as const;
    }),
  );
  return new Map(entries);
}

export async function letterServicesFromEnv(env: Env): Promise<LetterServices> {
  const passphrase = env.SIGNING_P12_PASSPHRASE ?? "";
  const province = env.SIGNING_P12_PATH
    ? await openFile(env.SIGNING_P12_PATH, passphrase, "SIGNING_P12_PATH")
    : null;
  const agencies = env.SIGNING_P12_DIR ? await agencyIdentities(env.SIGNING_P12_DIR, passphrase) : new Map();
  if (env.SMTP_HOST && !env.MAIL_FROM) throw new Error("MAIL_FROM: required when SMTP_HOST is set");
  return {
    signing: { province, agencies },
    publicBaseUrl: env.PUBLIC_BASE_URL ?? null,
    mailer: env.SMTP_HOST
      ? smtpMailer({
          host: env.SMTP_HOST,
          port: env.SMTP_PORT,
          secure: env.SMTP_SECURE,
          user: env.SMTP_USER,
          password: env.SMTP_PASSWORD,
          from: env.MAIL_FROM ?? "",
        })
      : null,
  };
}
