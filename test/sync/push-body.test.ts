// A pushed body is read from its bytes as its route says (src/sync/push-body.ts): the messages and
// what they are (format, kind, sender), or a refusal naming why, before anything is written.
import { describe, expect, it } from "vitest";
import { type BodyShape, readBody } from "../../src/sync/push-body.js";

const bytes = (text: string) => new TextEncoder().encode(text);
const read = (text: string, shape: BodyShape) => readBody(bytes(text), shape);

describe("pushed bodies", () => {
  it("read our push: canonical unless the body says otherwise", () => {
    expect(read('{"records":[{"code":"a"},42]}', { shape: "push" })).toEqual({
      read: { format: "canonical", kind: "record", messages: [{ code: "a" }, 42] },
    });
    expect(read('\uFEFF{"format":"dvcqg","records":[]}', { shape: "push" })).toEqual({
      read: { format: "dvcqg", kind: "record", messages: [] },
    });
  });

  it("read the portal's envelope: the service's kind, madonvi as the sender, one message or many", () => {
    const envelope = '{"service":"CapNhatTienDoHoSoMC","madonvi":"000.20.20.H47","data":{"MaHoSo":"x"}}';
    expect(read(envelope, { shape: "portal-envelope" })).toEqual({
      read: { format: "dvcqg", kind: "progress", sender: "000.20.20.H47", messages: [{ MaHoSo: "x" }] },
    });
    expect(
      read('[{"MaHoSo":"x"},{"MaHoSo":"y"}]', { shape: "portal-operation", service: "capnhattrangthai" }),
    ).toEqual({ read: { format: "dvcqg", kind: "status", messages: [{ MaHoSo: "x" }, { MaHoSo: "y" }] } });
  });

  it("refuse malformed JSON, a field out of shape, an unknown service, and more than 10,000 records", () => {
    expect(read('{"records": [', { shape: "push" })).toEqual({
      refused: { status: 400, message: "Malformed JSON in request body" },
    });
    expect(read('{"format":"xml","records":{}}', { shape: "push" })).toMatchObject({
      refused: { status: 400, details: { errors: [{ path: "format" }, { path: "records" }] } },
    });
    expect(read('{"service":"XoaHoSo","data":[]}', { shape: "portal-envelope" })).toMatchObject({
      refused: { status: 400, message: expect.stringContaining('"XoaHoSo"'), details: { path: "service" } },
    });
    expect(read("7", { shape: "portal-operation", service: "XoaHoSo" })).toMatchObject({
      refused: { status: 400, details: { errors: [{ path: "$" }] } },
    });
    const many = `{"records":[${Array(10_001).fill("{}").join(",")}]}`;
    expect(read(many, { shape: "push" })).toMatchObject({
      refused: { status: 413, details: { max: 10_000, received: 10_001 } },
    });
  });
});
