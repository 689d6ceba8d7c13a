// The letter's typeface: Tinos, metric-compatible with Times New Roman (DOMAIN §6, Nghị định
// 30/2020/NĐ-CP: Times New Roman or a compatible Unicode font), covering all of Vietnamese.
// Fonts are data: read and parsed once, then shared by every render.
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import * as fontkit from "fontkit";
import { PdfFace } from "./face.js";

export type FontStyle = "regular" | "bold" | "italic" | "boldItalic";
export type LetterFontBytes = Record<FontStyle, Uint8Array>;

/** The four faces, parsed once; pass the same object to every render. */
export interface LetterFonts {
  readonly bytes: LetterFontBytes;
  readonly faces: Readonly<Record<FontStyle, PdfFace>>;
}

const FILES: Record<FontStyle, string> = {
  regular: "Tinos-Regular.ttf",
  bold: "Tinos-Bold.ttf",
  italic: "Tinos-Italic.ttf",
  boldItalic: "Tinos-BoldItalic.ttf",
};
const STYLES = Object.keys(FILES) as FontStyle[];
const DEFAULT_DIR = new URL("../../templates/fonts/", import.meta.url);

/** From bytes (any runtime: Node, Workers with bundled assets, tests). */
export function createLetterFonts(bytes: LetterFontBytes): LetterFonts {
  const faces = Object.fromEntries(
    STYLES.map((s) => [s, new PdfFace(fontkit.create(bytes[s]), bytes[s])]),
  ) as Record<FontStyle, PdfFace>;
  return { bytes, faces };
}

/** Reads the four TTFs from `dir` (default templates/fonts/) once. */
export async function loadLetterFonts(dir: string | URL = DEFAULT_DIR): Promise<LetterFonts> {
  const path = (s: FontStyle) => (typeof dir === "string" ? join(dir, FILES[s]) : new URL(FILES[s], dir));
  const entries = await Promise.all(
    STYLES.map(async (s) => [s, new Uint8Array(await readFile(path(s)))] as const),
  );
  return createLetterFonts(Object.fromEntries(entries) as LetterFontBytes);
}
