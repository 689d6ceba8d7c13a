// The canonical reader skips ICU for text made of characters NFC keeps and never composes: every
// such character, alone and next to any other, must come out of normalize("NFC") unchanged, and
// anything else must be normalized as before.
import { describe, expect, it } from "vitest";
import { nfc } from "../../src/sync/formats/canonical-fast.js";

const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);
const KEPT = [...range(0, 0x2ff), ...range(0x1e00, 0x1eff)].map((c) => String.fromCharCode(c));

describe("nfc", () => {
  it("leaves alone characters NFC keeps, alone and in every pair", () => {
    const changed: string[] = [];
    for (const a of KEPT) {
      if (a.normalize("NFC") !== a) changed.push(a);
      for (const b of KEPT) if ((a + b).normalize("NFC") !== a + b) changed.push(a + b);
    }
    expect(changed).toEqual([]);
  });

  it("normalizes what may change, as normalize does", () => {
    const texts = [
      "Nguye\u0302\u0303n",
      "e\u0301",
      "\u212b",
      "A\u030a",
      "\u1100\u1161",
      "x\u0301\u1ea0",
      "Tiếp nhận",
    ];
    for (const text of texts) expect(nfc(text)).toBe(text.normalize("NFC"));
  });
});
