import encodeQR from "@paulmillr/qr";
import { describe, expect, it } from "vitest";
import { qrMatrix } from "../../src/pdf/qr-matrix.js";

// A fixed pseudo-random sequence, so that a failure names a text that can be tried again.
function texts(count: number): string[] {
  let seed = 20261206;
  const next = () => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return seed;
  };
  const chars = (alphabet: string, n: number) =>
    Array.from({ length: n }, () => alphabet[next() % alphabet.length]).join("");
  const token = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  return Array.from({ length: count }, (_, i) => {
    if (i % 4 === 0) return `https://motcua.khanhhoa.gov.vn/tra-cuu/${chars(token, 22)}`;
    if (i % 4 === 1) return chars("0123456789", 1 + (next() % 60)); // numeric
    if (i % 4 === 2) return chars("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:", 1 + (next() % 80));
    return `${chars(token, 1 + (next() % 120))} Hồ sơ`; // bytes, UTF-8
  });
}

describe("qrMatrix", () => {
  it("draws the same symbol as @paulmillr/qr's encodeQR: version, mask, modules", () => {
    const levels = ["low", "medium", "quartile", "high"] as const;
    texts(400).forEach((text, i) => {
      const ecc = levels[i % levels.length];
      expect(qrMatrix(text, ecc), `${ecc}: ${text}`).toEqual(encodeQR(text, "raw", { ecc, border: 0 }));
    });
  });
});
