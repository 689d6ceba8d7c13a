// E-mail delivery of a letter (POST /api/v1/letters/{id}/deliveries, channel "email"): the current
// version's stored PDF — the signed bytes, as downloaded — attached to a Vietnamese e-mail.
// At most once per delivery request: the delivery row is claimed under the request's idempotency
// key before anything is sent (a retried or concurrent request with the same key gets that row,
// never a second e-mail), and only failures that certainly left the message unaccepted are retried.
import { and, eq, sql } from "drizzle-orm";
import { recordAudit } from "../../audit/record.js";
import type { Principal } from "../../auth/principal.js";
import { type Db, queryRows } from "../../db/client.js";
import { ApiError } from "../../http/errors.js";
import { findLetter, letterPdf } from "../queries.js";
import { letterDeliveries } from "../schema.js";
import type { LetterServices, Mailer } from "../services.js";
import { fromStoredSnapshot } from "../snapshot.js";
import { pdfFileName } from "../view.js";
import { MailError } from "./smtp.js";
import { letterEmail } from "./template.js";

/** Waits before the 2nd and 3rd attempts of a transient failure. */
export const DEFAULT_RETRY_DELAYS_MS = [1_000, 4_000] as const;

export interface EmailDeliveryInput {
  /** The address; by default the applicant's e-mail as the dossier records it. */
  to?: string;
  note?: string;
  idempotencyKey: string;
}

export interface EmailDeliveryDeps {
  clock: { now(): Date };
  letters?: LetterServices;
}

type DeliveryRow = typeof letterDeliveries.$inferSelect;

async function applicantEmail(db: Db, dossierCode: string): Promise<string | null> {
  const [row] = await queryRows<{ email: string | null }>(
    db,
    sql`SELECT applicant_contact->>'email' AS email FROM dossiers WHERE code = ${dossierCode}`,
  );
  return row?.email ?? null;
}

/** The delivery row of this request: a new one (`claimed`), or the one its key already made. */
async function claim(
  db: Db,
  now: Date,
  principal: Principal,
  id: number,
  input: EmailDeliveryInput,
): Promise<{ row: DeliveryRow; claimed: boolean }> {
  return db.transaction(async (tx) => {
    const letter = await findLetter(tx, principal, id);
    const to = input.to ?? (await applicantEmail(tx, letter.dossierCode));
    if (!to) {
      throw new ApiError(
        "UNPROCESSABLE",
        "The dossier records no e-mail address for the applicant: give one",
        {
          field: "to",
        },
      );
    }
    const [inserted] = await tx
      .insert(letterDeliveries)
      .values({
        letterId: id,
        channel: "email",
        deliveredAt: now,
        note: input.note ?? null,
        recordedBy: principal.userId,
        recordedAt: now,
        status: "sending",
        recipient: to,
        idempotencyKey: input.idempotencyKey,
        version: letter.version,
        sha256: letter.sha256,
      })
      .onConflictDoNothing({ target: [letterDeliveries.letterId, letterDeliveries.idempotencyKey] })
      .returning();
    if (inserted) return { row: inserted, claimed: true };
    const [existing] = await tx
      .select()
      .from(letterDeliveries)
      .where(
        and(eq(letterDeliveries.letterId, id), eq(letterDeliveries.idempotencyKey, input.idempotencyKey)),
      );
    return { row: existing, claimed: false };
  });
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface Outcome {
  status: "sent" | "failed";
  messageId: string | null;
  attempts: number;
  lastError: string | null;
}

async function sendWithRetries(
  mailer: Mailer,
  mail: Parameters<Mailer["send"]>[0],
  delays: readonly number[],
): Promise<Outcome> {
  for (let attempt = 1; ; attempt++) {
    try {
      const receipt = await mailer.send(mail);
      return { status: "sent", messageId: receipt.messageId, attempts: attempt, lastError: null };
    } catch (error) {
      const failure = error instanceof MailError ? error.failure : "unknown";
      const message = `${failure}: ${error instanceof Error ? error.message : String(error)}`.slice(0, 1000);
      const delay = delays[attempt - 1];
      if (failure !== "transient" || delay === undefined) {
        return { status: "failed", messageId: null, attempts: attempt, lastError: message };
      }
      await sleep(delay);
    }
  }
}

export async function deliverByEmail(
  db: Db,
  deps: EmailDeliveryDeps,
  principal: Principal,
  id: number,
  input: EmailDeliveryInput,
): Promise<{ row: DeliveryRow; replayed: boolean }> {
  const mailer = deps.letters?.mailer;
  if (!mailer) {
    throw new ApiError("UNPROCESSABLE", "E-mail delivery is not configured here (SMTP_HOST)", {
      field: "channel",
      problem: "email_not_configured",
    });
  }
  const { row, claimed } = await claim(db, deps.clock.now(), principal, id, input);
  if (!claimed) return { row, replayed: true };
  const stored = await letterPdf(db, principal, id, row.version ?? undefined);
  const [version] = await queryRows<{ input: unknown }>(
    db,
    sql`SELECT input FROM letter_versions WHERE letter_id = ${id} AND version = ${stored.version}`,
  );
  const snapshot = fromStoredSnapshot(version.input);
  const letter = await findLetter(db, principal, id);
  const email = letterEmail({
    agencyName: snapshot.agency.name,
    number: letter.reference,
    dossierCode: snapshot.dossier.code,
    procedureName: snapshot.dossier.procedureName,
    signed: letter.signature !== null,
    statusUrl: snapshot.statusUrl,
  });
  const outcome = await sendWithRetries(
    mailer,
    {
      to: row.recipient ?? "",
      ...email,
      attachment: { filename: pdfFileName(stored, stored.version), content: stored.pdf },
    },
    deps.letters?.mailRetryDelaysMs ?? DEFAULT_RETRY_DELAYS_MS,
  );
  const [updated] = await db
    .update(letterDeliveries)
    .set({ ...outcome, deliveredAt: deps.clock.now() })
    .where(eq(letterDeliveries.id, row.id))
    .returning();
  await recordAudit(db, principal, {
    action: "letter.deliver",
    resourceType: "letter",
    resourceId: String(id),
    agencyCode: letter.agencyCode,
    // The citizen's address is in the delivery row, not in the trail.
    details: {
      deliveryId: row.id,
      channel: "email",
      status: outcome.status,
      messageId: outcome.messageId,
      attempts: outcome.attempts,
      version: stored.version,
      sha256: stored.sha256,
    },
  });
  return { row: updated, replayed: false };
}
