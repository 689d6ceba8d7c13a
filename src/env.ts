import { z } from "zod";

/** The service's configuration, parsed once at start (Node) or per call (Workers). */
export const envSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().default("0.0.0.0"),
  /** PostgreSQL when set; otherwise PGlite under DATA_DIR. */
  DATABASE_URL: z.string().url().optional(),
  DATA_DIR: z.string().default("./data"),
  /** Ensures an admin whose bearer token is this value. At least 24 characters. */
  ADMIN_TOKEN: z.string().min(24, "ADMIN_TOKEN must be at least 24 characters").optional(),
  /** Behind a reverse proxy: the client's address (for throttling failed sign-ins) is the last X-Forwarded-For hop. */
  TRUST_PROXY: z.stringbool().default(false),
  LOG_LEVEL: z.enum(["debug", "info", "warn", "error", "silent"]).default("info"),
  /** node-cron expression for the nightly sweep, in SWEEP_TIMEZONE. Empty disables it. */
  SWEEP_CRON: z.string().default("30 0 * * *"),
  SWEEP_TIMEZONE: z.string().default("Asia/Ho_Chi_Minh"),
  /** Pull connector: the one-stop software's export endpoint, paged with a cursor. */
  SYNC_SOURCE_URL: z.string().url().optional(),
  SYNC_SOURCE_TOKEN: z.string().optional(),
  SYNC_SOURCE_FORMAT: z.enum(["canonical", "dvcqg"]).default("canonical"),
  /** Letters: the province's PKCS#12, agencies' own as <dir>/<agency code>.p12, one passphrase. */
  SIGNING_P12_PATH: z.string().optional(),
  SIGNING_P12_DIR: z.string().optional(),
  SIGNING_P12_PASSPHRASE: z.string().optional(),
  /** Workers: the province's PKCS#12 as a base64 secret (no file system there). */
  SIGNING_P12_BASE64: z.string().optional(),
  /** Printed in letters' QR codes: `${PUBLIC_BASE_URL}/tra-cuu/{token}`; unset, letters carry no QR. */
  PUBLIC_BASE_URL: z
    .string()
    .url()
    .refine((u) => /^https?:\/\//i.test(u), "expected an http(s) URL")
    .transform((u) => u.replace(/\/+$/, ""))
    .optional(),
  /** E-mail delivery of letters; unset SMTP_HOST refuses channel "email". */
  SMTP_HOST: z.string().optional(),
  SMTP_PORT: z.coerce.number().int().min(1).max(65535).default(587),
  SMTP_SECURE: z.stringbool().default(false),
  SMTP_USER: z.string().optional(),
  SMTP_PASSWORD: z.string().optional(),
  MAIL_FROM: z.string().optional(),
});

export type Env = z.infer<typeof envSchema>;

export function parseEnv(source: Record<string, string | undefined>): Env {
  const cleaned = Object.fromEntries(Object.entries(source).filter(([, v]) => v !== undefined && v !== ""));
  const parsed = envSchema.safeParse(cleaned);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`);
    throw new Error(`Invalid configuration:\n${lines.join("\n")}`);
  }
  return parsed.data;
}
