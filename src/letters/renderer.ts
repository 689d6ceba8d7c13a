// Where a letter's PDF is drawn. The draw is most of an issue's CPU: in the request's own thread it
// holds the event loop, and with it every other request, for as long as it takes. On Node the
// service draws on a thread of its own (render-thread.ts); elsewhere (Workers, tests) in the caller's.
import type { LetterFonts } from "../pdf/fonts.js";
import { type ApologyLetterInput, renderApologyLetter, type SignatureRequest } from "./render.js";

/** The letter's bytes, the same whichever thread draws them (the render is deterministic). */
export type LetterRenderer = (input: ApologyLetterInput, signature?: SignatureRequest) => Promise<Uint8Array>;

export const renderInCallerThread =
  (fonts: LetterFonts): LetterRenderer =>
  async (input, signature) =>
    renderApologyLetter(fonts, input, signature);

/** The deployment's renderer, or the caller's thread. */
export const rendererOf = (deps: {
  letterFonts: LetterFonts;
  letterRenderer?: LetterRenderer;
}): LetterRenderer => deps.letterRenderer ?? renderInCallerThread(deps.letterFonts);
