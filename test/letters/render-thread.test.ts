// The letters' render thread draws the same bytes as the caller's thread, signed or not; a letter
// that cannot be drawn is refused with the caller's own error; a closed thread draws nothing and
// the caller's thread draws instead.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ApologyLetterInput } from "../../src/letters/render.js";
import { type LetterRenderThread, letterRenderThread } from "../../src/letters/render-thread.js";
import { renderInCallerThread } from "../../src/letters/renderer.js";
import { letterFile } from "../../src/letters/signed-letter.js";
import { identityFromPkcs12, type SigningIdentity } from "../../src/letters/signing/identity.js";
import { type LetterFonts, loadLetterFonts } from "../../src/pdf/fonts.js";
import { pdfFlatText } from "../helpers/pdf.js";
import { sampleLetter } from "./helpers/sample-letter.js";
import { createTestCa } from "./helpers/test-ca.js";

const letter = (number: number) => sampleLetter({ number });

let fonts: LetterFonts;
let thread: LetterRenderThread;
let identity: SigningIdentity;

beforeAll(async () => {
  fonts = await loadLetterFonts();
  thread = letterRenderThread(fonts);
  const ca = createTestCa();
  identity = await identityFromPkcs12(ca.issue({ commonName: "Lê Văn Cường" }, "pw"), "pw", "test.p12");
}, 60_000);
afterAll(() => thread?.close());

describe("the letters' render thread", () => {
  it("draws, several at once, the bytes the caller's thread draws", async () => {
    const inCaller = renderInCallerThread(fonts);
    const numbers = [1, 2, 3, 12, 123, 4567];
    const [onThread, here] = await Promise.all([
      Promise.all(numbers.map((n) => thread.render(letter(n)))),
      Promise.all(numbers.map((n) => inCaller(letter(n)))),
    ]);
    for (const [i, pdf] of onThread.entries())
      expect(Buffer.from(pdf).equals(Buffer.from(here[i]))).toBe(true);
    expect(pdfFlatText(onThread[4])).toContain("Số: 123/");
  });

  it("signs what it draws as the caller's thread does: the same signed bytes", async () => {
    const onThread = await letterFile(thread.render, letter(7), identity);
    const here = await letterFile(renderInCallerThread(fonts), letter(7), identity);
    expect(onThread.signature).not.toBeNull();
    expect(onThread.sha256).toBe(here.sha256);
    expect(onThread.pdf.equals(here.pdf)).toBe(true);
  });

  it("refuses a letter it cannot draw with the error the caller's thread gives", async () => {
    const broken = { ...letter(8), agency: undefined } as unknown as ApologyLetterInput;
    const here = await renderInCallerThread(fonts)(broken).catch((e: Error) => e.message);
    await expect(thread.render(broken)).rejects.toThrow(here as string);
  });

  it("once closed, draws in the caller's thread", async () => {
    const closed = letterRenderThread(fonts);
    await closed.render(letter(9));
    await closed.close();
    const pdf = await closed.render(letter(10));
    expect(Buffer.from(pdf).equals(Buffer.from(await renderInCallerThread(fonts)(letter(10))))).toBe(true);
  });
});
