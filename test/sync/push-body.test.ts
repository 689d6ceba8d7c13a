// A pushed body is read from its bytes as its route says (src/sync/push-body.ts): the messages and
// what they are (format, kind, sender), or a refusal naming why, before anything is written.
import { describe, expect, it } from "vitest";
import { type BodyShape, readBody, splitBody } from "../../src/sync/push-body.js";

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

  it("split where their messages are an array: what the body says as readBody reads it, each message's bytes", () => {
    const cases: [string, BodyShape][] = [
      ['{"format":"dvcqg","records":[{"code":"a"}, 42]}', { shape: "push" }],
      [
        '{"service":"DongBoHoSoMC","madonvi":"000.20.20.H47","data":[{"MaHoSo":"x"}]}',
        { shape: "portal-envelope" },
      ],
      ['[{"MaHoSo":"x"},{"MaHoSo":"y"}]', { shape: "portal-operation", service: "capnhattrangthai" }],
    ];
    for (const [text, shape] of cases) {
      const whole = read(text, shape);
      if (!("read" in whole)) throw new Error(`${text} was refused`);
      const { messages, ...said } = whole.read;
      const split = splitBody(bytes(text), shape);
      expect(split?.read).toEqual(said);
      const found = [];
      for (let i = 0; i < (split?.bounds.length ?? 0); i += 2)
        found.push(JSON.parse(text.slice(split?.bounds[i], split?.bounds[i + 1])));
      expect(found).toEqual(messages);
    }
  });

  it("are not split when refused, or when one message is sent: read whole, as before", () => {
    for (const [text, shape] of [
      ['{"format":"xml","records":[]}', { shape: "push" }],
      ['{"service":"XoaHoSo","data":[]}', { shape: "portal-envelope" }],
      ['{"service":"DongBoHoSoMC","data":{"MaHoSo":"x"}}', { shape: "portal-envelope" }],
      [`{"records":[${Array(10_001).fill("{}").join(",")}]}`, { shape: "push" }],
    ] as [string, BodyShape][])
      expect(splitBody(bytes(text), shape), text.slice(0, 60)).toBeNull();
  });
});
