// The bodies a one-stop system pushes, read from their bytes: our push ({ format, records }), the
// portal's envelope ({ service, data, … }) and a portal operation's bare body (an array of
// messages, or one). Read where the batch is prepared — on a pool thread for a large push — so the
// request's thread never parses megabytes of JSON nor copies the parsed records to a thread. There
// a body whose messages are an array is split rather than parsed (splitBody): each message is
// parsed from its own bytes, which then stand for its raw payload, as a dump's line does. Pure: no
// I/O, no hono; the routes (routes.ts, portal-routes.ts) document these schemas and answer a
// refusal.
import { z } from "zod";
import { invalidRequest, zodProblems } from "../http/field-path.js";
import { splitMember, splitTopArray } from "./body-split.js";
import type { MessageKind, RecordFormat } from "./parse.js";
import { kindOfService, SERVICE_NAMES } from "./portal-services.js";

/** At most this many records a request: the count is the contract, the body limit only stops abuse. */
export const MAX_RECORDS_PER_REQUEST = 10_000;

export const PushBody = z.object({
  format: z.enum(["canonical", "dvcqg"]).default("canonical"),
  records: z.array(z.unknown()).meta({ description: "Records in `format` (DOMAIN §9)" }),
});

/** The portal's messages: an array, or one. */
export const PortalMessages = z.union([z.array(z.unknown()), z.record(z.string(), z.unknown())]);

export const PortalEnvelope = z.object({
  service: z.string().trim().min(1).max(100).meta({ example: "DongBoHoSoMC" }),
  isUpdating: z.union([z.string().max(10), z.boolean()]).optional(),
  madonvi: z.string().trim().max(100).optional().meta({ description: "The sending agency's code" }),
  type: z.union([z.string().max(10), z.number()]).optional(),
  // The portal's login session: the monitor does not need it, and never stores or logs it.
  session: z.string().optional(),
  data: PortalMessages.meta({ description: "An array of messages, or one message" }),
});

/** Which body a route takes, and what of the request it needs to read it. */
export type BodyShape =
  | { shape: "push" }
  | { shape: "portal-envelope" }
  /** A portal operation named in the path, with a bare body. */
  | { shape: "portal-operation"; service: string };

/** What the body says: how to read its messages, and the messages. */
export interface BodyRead {
  format: RecordFormat;
  kind: MessageKind;
  /** The sending agency the envelope names (madonvi), if any. */
  sender?: string;
  messages: unknown[];
}

/** Why a body is refused before any of it is read as records: the request's fault, nothing written. */
export interface BodyRefusal {
  status: 400 | 413;
  message: string;
  details?: Record<string, unknown>;
}

export type BodyReading = { read: BodyRead } | { refused: BodyRefusal };

/** The body's UTF-8 JSON read as `shape` says (decoded as fetch's Request.json decodes it). */
export function readBody(bytes: Uint8Array, shape: BodyShape): BodyReading {
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder().decode(bytes));
  } catch {
    // As hono's own validator answers it, which these routes answered with before.
    return { refused: { status: 400, message: "Malformed JSON in request body" } };
  }
  const reading = readJson(json, shape);
  if ("refused" in reading) return reading;
  const count = reading.read.messages.length;
  if (count > MAX_RECORDS_PER_REQUEST) return { refused: tooMany(count) };
  return reading;
}

/** A body read as readBody reads it, its messages left as bytes: where each is (from, to pairs). */
export interface BodySplit {
  read: Omit<BodyRead, "messages">;
  bounds: Uint32Array;
}

/**
 * The body read as readBody reads it, but for its messages, which are found in its bytes rather
 * than parsed (body-split.ts): each is parsed on its own where it is prepared. Null when that does
 * not apply (one message rather than an array, a body the split cannot follow) and when the body
 * is refused: readBody then reads it whole, and its refusal is the one a body always had.
 */
export function splitBody(bytes: Uint8Array, shape: BodyShape): BodySplit | null {
  const split =
    shape.shape === "portal-operation"
      ? splitTopArray(bytes)
      : splitMember(bytes, shape.shape === "push" ? "records" : "data");
  if (!split || split.bounds.length / 2 > MAX_RECORDS_PER_REQUEST) return null;
  // The body with an empty array in its messages' place: a few bytes, parsed whole.
  const rest = Buffer.concat([bytes.subarray(0, split.start), EMPTY_ARRAY, bytes.subarray(split.end)]);
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder().decode(rest));
  } catch {
    return null;
  }
  const reading = readJson(json, shape);
  if ("refused" in reading) return null;
  const { messages: _, ...read } = reading.read;
  return { read, bounds: split.bounds };
}

const EMPTY_ARRAY = new Uint8Array([0x5b, 0x5d]);

function readJson(json: unknown, shape: BodyShape): BodyReading {
  if (shape.shape === "push") {
    const body = PushBody.safeParse(json);
    if (!body.success) return { refused: invalid(body.error) };
    return { read: { format: body.data.format, kind: "record", messages: body.data.records } };
  }
  if (shape.shape === "portal-operation") {
    const data = PortalMessages.safeParse(json);
    if (!data.success) return { refused: invalid(data.error) };
    const kind = serviceKind(shape.service);
    if (typeof kind !== "string") return { refused: kind };
    return { read: { format: "dvcqg", kind, messages: asList(data.data) } };
  }
  const envelope = PortalEnvelope.safeParse(json);
  if (!envelope.success) return { refused: invalid(envelope.error) };
  const kind = serviceKind(envelope.data.service);
  if (typeof kind !== "string") return { refused: kind };
  const { madonvi, data } = envelope.data;
  return { read: { format: "dvcqg", kind, messages: asList(data), ...(madonvi ? { sender: madonvi } : {}) } };
}

const asList = (data: unknown): unknown[] => (Array.isArray(data) ? data : [data]);

function serviceKind(service: string): MessageKind | BodyRefusal {
  return (
    kindOfService(service) ?? {
      status: 400,
      message: `Unknown service ${JSON.stringify(service)}; expected one of ${SERVICE_NAMES.join(", ")}`,
      details: { path: "service" },
    }
  );
}

/** A body zod refused, in the API's one shape for a request's fields (as its routes' validation). */
const invalid = (error: z.ZodError): BodyRefusal => ({
  status: 400,
  ...invalidRequest(zodProblems(error.issues)),
});

function tooMany(count: number): BodyRefusal {
  return {
    status: 413,
    message: `A sync request may carry at most ${MAX_RECORDS_PER_REQUEST} records; this one has ${count}. Split it into batches.`,
    details: { max: MAX_RECORDS_PER_REQUEST, received: count },
  };
}
