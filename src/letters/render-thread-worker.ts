// The letters' render thread (render-thread.ts): letters in, PDF bytes out, transferred rather than
// copied. The faces are parsed here once, from the bytes the service read.
import { parentPort, workerData } from "node:worker_threads";
import { createLetterFonts, type LetterFontBytes } from "../pdf/fonts.js";
import { renderApologyLetter } from "./render.js";
import type { RenderAnswer, RenderRequest } from "./render-thread.js";

const fonts = createLetterFonts((workerData as { fontBytes: LetterFontBytes }).fontBytes);

/** The bytes alone in their buffer, so that the buffer can be handed over whole. */
const ownBuffer = (pdf: Buffer): Uint8Array =>
  pdf.byteOffset === 0 && pdf.byteLength === pdf.buffer.byteLength ? pdf : new Uint8Array(pdf);

const port = parentPort;
if (!port) throw new Error("render-thread-worker.ts runs as a worker thread");
port.on("message", ({ id, input, signature }: RenderRequest) => {
  let answer: RenderAnswer;
  try {
    answer = { id, pdf: ownBuffer(renderApologyLetter(fonts, input, signature)) };
  } catch (error) {
    answer = { id, error: error instanceof Error ? error.message : String(error) };
  }
  port.postMessage(answer, "pdf" in answer ? [answer.pdf.buffer as ArrayBuffer] : []);
});
