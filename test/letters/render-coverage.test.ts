// Every Vietnamese letter, with every tone mark, in both cases, must render with a real glyph
// (not .notdef) and extract back to exactly the same NFC text.
import { beforeAll, describe, expect, it } from "vitest";
import { renderApologyLetter } from "../../src/letters/render.js";
import { type FontStyle, type LetterFonts, loadLetterFonts } from "../../src/pdf/fonts.js";
import { assertPopplerInstalled, pdfText } from "../helpers/pdf.js";

const VOWELS = ["a", "ă", "â", "e", "ê", "i", "o", "ô", "ơ", "u", "ư", "y"];
const CONSONANTS = ["b", "c", "d", "đ", "g", "h", "k", "l", "m", "n", "p", "q", "r", "s", "t", "v", "x"];
/** Huyền, sắc, hỏi, ngã, nặng: grave, acute, hook above, tilde, dot below. */
const TONE_MARKS = ["\u0300", "\u0301", "\u0309", "\u0303", "\u0323"];

/** Each vowel bare and with each tone, every consonant; lower case then upper case; and ₫. */
function vietnameseRepertoire(): string[] {
  const toned = VOWELS.flatMap((v) => [v, ...TONE_MARKS.map((mark) => `${v}${mark}`.normalize("NFC"))]);
  const lower = [...toned, ...CONSONANTS];
  return [...lower, ...lower.map((c) => c.toLocaleUpperCase("vi-VN")), "₫"];
}

let fonts: LetterFonts;
beforeAll(async () => {
  assertPopplerInstalled();
  fonts = await loadLetterFonts();
});

describe("Vietnamese coverage", () => {
  const repertoire = vietnameseRepertoire();

  it("builds the full set: 12 vowels × 6 forms + 17 consonants, in both cases, plus ₫", () => {
    expect(repertoire).toHaveLength((12 * 6 + 17) * 2 + 1);
    expect(new Set(repertoire).size).toBe(repertoire.length);
    // NFC composes every letter with its tone into one precomposed code point.
    for (const letter of repertoire) expect([...letter]).toHaveLength(1);
  });

  it.each<FontStyle>(["regular", "bold", "italic", "boldItalic"])("has a glyph for each in %s", (style) => {
    const missing = repertoire.filter((c) => !fonts.faces[style].covers(c.codePointAt(0) ?? 0));
    expect(missing).toEqual([]);
  });

  it("extracts every letter back exactly, from regular, bold and italic text", () => {
    const words = [repertoire.slice(0, 60), repertoire.slice(60, 120), repertoire.slice(120)].map((p) =>
      p.join(""),
    );
    const pdf = renderApologyLetter(fonts, {
      number: 1,
      agency: { name: "UBND xã Ninh Sơn", shortCode: "NS", parentName: null, place: words.join(" ") },
      issuedAt: new Date("2025-03-03T08:00:00+07:00"),
      dossier: {
        code: "H47-0001",
        receivedAt: new Date("2025-02-24T08:00:00+07:00"),
        procedureName: "Thủ tục",
        applicantName: "Nguyễn Văn A",
        promisedDueAt: null,
      },
      reason: words.join(" "),
      newDueAt: new Date("2025-03-05T08:00:00+07:00"),
      signerName: words.join(" "),
      signerTitle: "Chủ tịch",
    });
    const compact = pdfText(pdf).replace(/\s+/g, "");
    const expected = words.join("");
    // The reason in regular, the place before the date in italic, the signer's name in bold.
    expect(compact).toContain(`Lýdo:${expected}.`);
    expect(compact).toContain(`${expected},ngày03tháng3năm2025`);
    expect(compact.endsWith(`CHỦTỊCH${expected}`)).toBe(true);
  });
});
