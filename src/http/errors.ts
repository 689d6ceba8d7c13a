import { HTTPException } from "hono/http-exception";
import type { ContentfulStatusCode } from "hono/utils/http-status";

const STATUS = {
  BAD_REQUEST: 400,
  UNAUTHORIZED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  LETTER_EXISTS: 409,
  SWEEP_RUNNING: 409,
  PAYLOAD_TOO_LARGE: 413,
  UNPROCESSABLE: 422,
  NOT_ELIGIBLE: 422,
  RATE_LIMITED: 429,
  INTERNAL: 500,
  UNAVAILABLE: 503,
} as const satisfies Record<string, ContentfulStatusCode>;

export type ErrorCode = keyof typeof STATUS;

/** Each status's plain code: the first that STATUS gives it (409 is CONFLICT, not LETTER_EXISTS). */
const CODE_OF_STATUS = new Map<number, ErrorCode>();
for (const [code, status] of Object.entries(STATUS) as [ErrorCode, number][]) {
  if (!CODE_OF_STATUS.has(status)) CODE_OF_STATUS.set(status, code);
}

/** The code of an error that came with a status alone (hono's own HTTPException); ERROR if none. */
export const codeOfStatus = (status: number): string => CODE_OF_STATUS.get(status) ?? "ERROR";

/** The one error the service throws on purpose; `app.onError` is the only place that writes it. */
export class ApiError extends HTTPException {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: Record<string, unknown>,
    /** Sent with the error response, e.g. Retry-After on 429 and 503. */
    readonly headers?: Record<string, string>,
  ) {
    super(STATUS[code], { message });
  }
}

export interface ErrorBody {
  error: { code: string; message: string; details?: Record<string, unknown> };
}

export const notFound = (what: string) => new ApiError("NOT_FOUND", `${what} not found`);

/** 503 UNAVAILABLE: the request may be sent again after `seconds` (its Retry-After). */
const sendAgainAfter = (seconds: number, message: string) =>
  new ApiError("UNAVAILABLE", message, undefined, { "Retry-After": String(seconds) });

/** 503: the write lost to a concurrent one (its transaction rolled back); sent again, it is judged anew. */
export const concurrentWriteRetry = () =>
  sendAgainAfter(
    1,
    "A concurrent write to the same records got in the way and its transaction was rolled back; send the request again",
  );

/** 503: the database cannot be reached now; the client may retry, the pool reconnects by itself. */
export const databaseUnreachable = () =>
  sendAgainAfter(5, "The database is not reachable at the moment; try again in a few seconds");
