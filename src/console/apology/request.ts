// The apology form's fields as the letters domain's request, or what to fix.
import type { IssueRequest } from "../../letters/issue.js";
import { type FormBody, field } from "../form.js";
import { fromLocalFields } from "../format.js";

export type ParsedRequest = { request: IssueRequest; problem?: undefined } | { problem: string };

/**
 * The new appointment is typed as a local date (dd/mm/yyyy) and a 24-hour time: the browser's own
 * date-time input follows the browser's locale (mm/dd/yyyy, AM/PM), not the officer's.
 */
export function issueRequestOf(body: FormBody): ParsedRequest {
  const reason = field(body, "reason");
  const signerName = field(body, "signerName");
  const signerTitle = field(body, "signerTitle").replace(/\r\n/g, "\n");
  const day = field(body, "newDueDay");
  const time = field(body, "newDueTime");
  const confirmed = field(body, "confirmed");
  if (!reason || !signerName || !signerTitle)
    return { problem: "Cần nhập lý do chậm trễ, họ tên và chức vụ người ký." };
  if (reason.length > 2000 || signerName.length > 200 || signerTitle.length > 200)
    return { problem: "Lý do (tối đa 2.000 ký tự) hoặc thông tin người ký (tối đa 200 ký tự) quá dài." };
  let newDueAt: Date | undefined;
  if (day || time) {
    const at = fromLocalFields(day, time);
    if (!at)
      return { problem: "Ngày hẹn mới phải có dạng ngày/tháng/năm (ví dụ 12/02/2025) và giờ:phút (16:30)." };
    newDueAt = at;
  }
  return {
    request: {
      reason,
      signerName,
      signerTitle,
      ...(newDueAt ? { newDueAt } : {}),
      ...(confirmed ? { confirmed } : {}),
    },
  };
}

/** The typed values, to put back into a form that is shown again. */
export interface TypedFields {
  reason: string;
  newDueDay: string;
  newDueTime: string;
  signerName: string;
  signerTitle: string;
}

export const typedOf = (body: FormBody): TypedFields => ({
  reason: field(body, "reason"),
  newDueDay: field(body, "newDueDay"),
  newDueTime: field(body, "newDueTime"),
  signerName: field(body, "signerName"),
  signerTitle: field(body, "signerTitle"),
});
