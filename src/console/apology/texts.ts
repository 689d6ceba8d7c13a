// What the apology flow says in Vietnamese: the API's refusals and the warnings before an issue.
import type { IssueWarning } from "../../letters/warnings.js";
import { dateTime, PAUSE_LABELS } from "../format.js";

export const INELIGIBLE: Record<string, string> = {
  closed: "Hồ sơ đã bị từ chối, rút hoặc dừng xử lý: không lập phiếu xin lỗi.",
  finished_on_time: "Hồ sơ đã hoàn thành đúng hạn: không lập phiếu xin lỗi.",
  before_apology_window: "Chưa đến thời hạn xin lỗi (1 ngày làm việc trước hạn giải quyết).",
  no_due: "Hồ sơ chưa có hạn giải quyết: chưa thể lập phiếu xin lỗi.",
};

const APPOINTMENT: Record<string, string> = {
  not_after_now: "Ngày hẹn mới phải sau thời điểm hiện tại.",
  not_after_due: "Ngày hẹn mới phải sau hạn giải quyết hiện tại.",
  outside_calendar: "Ngày hẹn mới nằm ngoài lịch làm việc.",
  not_working_time: "Ngày hẹn mới phải rơi vào giờ làm việc của cơ quan.",
  required: "Hồ sơ đang giải quyết: cần nhập ngày hẹn trả kết quả mới.",
  after_the_fact: "Hồ sơ đã có kết quả: phiếu xin lỗi sau khi trả kết quả không hẹn lại ngày trả.",
};

export const LETTER_EXISTS_TEXT =
  "Hồ sơ này đã có phiếu xin lỗi; mỗi hồ sơ chỉ được hẹn lại một lần, không thể phát hành phiếu thứ hai.";

export const STALE_TEXT =
  "Hồ sơ hoặc nội dung phiếu đã thay đổi kể từ khi bạn xem trang xác nhận (ví dụ: hồ sơ vừa được đồng bộ, sang ngày mới, hoặc đã quá thời hạn xin lỗi). Phiếu chưa được phát hành: hãy xem lại nội dung dưới đây rồi xác nhận lại.";

/** The API's refusal, said in Vietnamese for the page. */
export function refusalText(error: {
  code: string;
  message: string;
  details?: Record<string, unknown>;
}): string {
  const details = error.details ?? {};
  if (error.code === "LETTER_EXISTS") return LETTER_EXISTS_TEXT;
  if (error.code === "NOT_ELIGIBLE") return INELIGIBLE[String(details.reason)] ?? error.message;
  if (error.code === "UNPROCESSABLE" && details.field === "newDueAt")
    return APPOINTMENT[String(details.problem)] ?? error.message;
  if (error.code === "CONFLICT" && details.reason === "stale_confirmation") return STALE_TEXT;
  if (error.code === "NOT_FOUND") return "Không tìm thấy hồ sơ, hoặc hồ sơ nằm ngoài phạm vi của bạn.";
  return error.message;
}

/** Each warning as one sentence that says what issuing now means. */
export function warningText(warning: IssueWarning): string {
  switch (warning.kind) {
    case "after_the_fact":
      return `Hồ sơ đã có kết quả lúc ${dateTime(warning.finishedAt)}: phiếu là phiếu xin lỗi sau khi trả kết quả — không đề nghị gia hạn, không hẹn lại ngày trả; đây vẫn là phiếu duy nhất của hồ sơ.`;
    case "after_apology_deadline":
      return `Đã quá thời hạn gửi phiếu xin lỗi (chậm nhất ${dateTime(warning.deadline)}, trước hạn giải quyết 1 ngày làm việc): phiếu phát hành bây giờ sẽ bị ghi nhận vi phạm “Phiếu xin lỗi phát hành muộn” ở lần quét tới.`;
    case "paused":
      return `Hồ sơ đang tạm dừng (${PAUSE_LABELS[warning.pauseKind] ?? warning.pauseKind}) từ ${dateTime(warning.since)}: hạn giải quyết còn lùi thêm cho đến khi hết tạm dừng, nên ngày hẹn mới đặt bây giờ chưa tính phần tạm dừng còn lại. Cân nhắc chờ đến khi tiếp tục giải quyết.`;
  }
}
