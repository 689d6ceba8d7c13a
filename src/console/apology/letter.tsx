// An issued letter: its page (PDF, print, deliveries), recording a delivery, sending it by e-mail,
// the stored PDF and several letters' PDFs in one file. The page is ./letter-view.tsx.
import type { Context } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { ApiError } from "../../http/errors.js";
import { IdsQuery } from "../../letters/api-schemas.js";
import { recordDelivery } from "../../letters/deliveries.js";
import { deliverByEmail } from "../../letters/email/deliver.js";
import { currentSnapshots, letterDetail, letterPdf } from "../../letters/queries.js";
import { renderCombinedLetters } from "../../letters/render.js";
import type { DeliveryChannel } from "../../letters/schema.js";
import { pdfContentDisposition } from "../../letters/view.js";
import type { ConsoleEnv } from "../env.js";
import { isApiError } from "../errors.js";
import { field, readForm } from "../form.js";
import { fromLocalFields } from "../format.js";
import type { Flash } from "../layout.js";
import { render } from "../page.js";
import { consoleQuery } from "../query.js";
import { type DeliveryFields, deliveryDefaults, IssuedLetter } from "./letter-view.js";

export const errorFlash = (text: string): Flash => ({ kind: "error", text });

export async function letterPage(
  c: Context<ConsoleEnv>,
  id: number,
  flash?: Flash,
  status?: ContentfulStatusCode,
  delivery?: DeliveryFields,
) {
  const { deps, principal } = c.var;
  const letter = await letterDetail(deps.database.db, principal, id);
  return render(
    c,
    { title: `Phiếu xin lỗi số ${letter.number}`, active: "dossiers", flash, status },
    <IssuedLetter
      letter={letter}
      canDeliver={principal.role === "officer" || principal.role === "admin"}
      canEmail={Boolean(deps.letters?.mailer)}
      delivery={delivery ?? deliveryDefaults(deps.clock.now())}
      csrfToken={c.var.csrfToken}
    />,
  );
}

export const letterIdOf = (c: Context<ConsoleEnv>) => {
  const id = Number(c.req.param("id"));
  if (!Number.isSafeInteger(id) || id < 1) throw new ApiError("NOT_FOUND", "Letter not found");
  return id;
};

export async function deliver(c: Context<ConsoleEnv>) {
  const { deps, principal } = c.var;
  const id = letterIdOf(c);
  const body = await readForm(c);
  const typed: DeliveryFields = {
    channel: field(body, "channel"),
    day: field(body, "day"),
    time: field(body, "time"),
    note: field(body, "note"),
  };
  const deliveredAt = fromLocalFields(typed.day, typed.time);
  const channels = ["in_person", "post", "email", "sms", "portal"];
  if (!deliveredAt || !channels.includes(typed.channel) || typed.note.length > 500) {
    const text =
      "Cần chọn hình thức gửi và nhập ngày (ngày/tháng/năm), giờ (giờ:phút); ghi chú tối đa 500 ký tự.";
    return letterPage(c, id, errorFlash(text), 400, typed);
  }
  try {
    await recordDelivery(deps.database.db, deps.clock.now(), principal, id, {
      channel: typed.channel as DeliveryChannel,
      deliveredAt,
      ...(typed.note ? { note: typed.note } : {}),
    });
  } catch (error) {
    if (!isApiError(error, "UNPROCESSABLE")) throw error;
    const text = "Thời điểm gửi phải sau khi phát hành phiếu và không ở tương lai.";
    return letterPage(c, id, errorFlash(text), 422, typed);
  }
  return c.redirect(`/console/letters/${id}?ok=delivered`, 303);
}

/** Sends the stored PDF by e-mail; the form's key makes a double submit one e-mail. */
export async function email(c: Context<ConsoleEnv>) {
  const { deps, principal } = c.var;
  const id = letterIdOf(c);
  const body = await readForm(c);
  const to = field(body, "to").trim();
  const idempotencyKey = field(body, "idempotencyKey") || crypto.randomUUID();
  if (to.length > 320 || (to !== "" && !/^[^\s@]+@[^\s@]+$/.test(to)) || idempotencyKey.length > 200) {
    return letterPage(c, id, errorFlash("Địa chỉ thư điện tử không hợp lệ."), 400);
  }
  try {
    const { row } = await deliverByEmail(deps.database.db, deps, principal, id, {
      ...(to ? { to } : {}),
      idempotencyKey,
    });
    return c.redirect(
      `/console/letters/${id}?ok=${row.status === "failed" ? "email-failed" : "emailed"}`,
      303,
    );
  } catch (error) {
    if (!isApiError(error, "UNPROCESSABLE")) throw error;
    const text =
      "Hồ sơ không có địa chỉ thư điện tử của người nộp, hoặc máy chủ chưa cấu hình gửi thư: nhập địa chỉ.";
    return letterPage(c, id, errorFlash(text), 422);
  }
}

export async function storedPdf(c: Context<ConsoleEnv>) {
  const { deps, principal } = c.var;
  const stored = await letterPdf(deps.database.db, principal, letterIdOf(c));
  const disposition = pdfContentDisposition(stored, stored.version);
  return c.body(stored.pdf as Uint8Array<ArrayBuffer>, 200, {
    "content-type": "application/pdf",
    "content-disposition": c.req.query("download")
      ? disposition.replace(/^inline/, "attachment")
      : disposition,
    "cache-control": "private, no-cache",
  });
}

export async function combinedPdf(c: Context<ConsoleEnv>) {
  const { deps, principal } = c.var;
  const { ids } = consoleQuery(c, IdsQuery);
  const pdf = renderCombinedLetters(
    deps.letterFonts,
    await currentSnapshots(deps.database.db, principal, ids),
  );
  return c.body(pdf as Uint8Array<ArrayBuffer>, 200, {
    "content-type": "application/pdf",
    "content-disposition": `inline; filename="PXL-${ids.length}-phieu.pdf"`,
  });
}
