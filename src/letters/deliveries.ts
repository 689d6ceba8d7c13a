// Deliveries of a letter to the citizen (DOMAIN §6): in person, post, e-mail, SMS, portal, with time.
import { recordAudit } from "../audit/record.js";
import type { Principal } from "../auth/principal.js";
import type { Db } from "../db/client.js";
import { ApiError } from "../http/errors.js";
import { findLetter } from "./queries.js";
import { type DeliveryChannel, letterDeliveries } from "./schema.js";
import { deliveryView } from "./view.js";

export const DELIVERY_CHANNELS = [
  "in_person",
  "post",
  "email",
  "sms",
  "portal",
] as const satisfies readonly DeliveryChannel[];

export interface DeliveryInput {
  channel: DeliveryChannel;
  /** When it reached (or was handed to) the citizen; now when absent. */
  deliveredAt?: Date;
  note?: string;
}

export async function recordDelivery(
  db: Db,
  now: Date,
  principal: Principal,
  id: number,
  input: DeliveryInput,
) {
  return db.transaction(async (tx) => {
    const letter = await findLetter(tx, principal, id);
    const deliveredAt = input.deliveredAt ?? now;
    if (deliveredAt < letter.issuedAt || deliveredAt > now) {
      throw new ApiError(
        "UNPROCESSABLE",
        "A delivery happens after the letter was issued and not in the future",
        { field: "deliveredAt", issuedAt: letter.issuedAt.toISOString(), now: now.toISOString() },
      );
    }
    const [row] = await tx
      .insert(letterDeliveries)
      .values({
        letterId: id,
        channel: input.channel,
        deliveredAt,
        note: input.note ?? null,
        recordedBy: principal.userId,
        recordedAt: now,
      })
      .returning();
    await recordAudit(tx, principal, {
      action: "letter.deliver",
      resourceType: "letter",
      resourceId: String(id),
      agencyCode: letter.agencyCode,
      details: { deliveryId: row.id, channel: input.channel, deliveredAt: deliveredAt.toISOString() },
    });
    return deliveryView(row);
  });
}
