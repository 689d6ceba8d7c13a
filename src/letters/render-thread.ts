// The letters' render thread (Node): one worker thread that draws every issued or corrected letter,
// so that the server's event loop goes on with other requests meanwhile, and an issue's draw
// overlaps the database work of the others. One thread: the rest of the machine's cores belong to
// the event loop and PostgreSQL. Should the thread fail or end, the letter is drawn in the caller's
// thread instead (the same bytes), and the next letter starts a new thread; after a few threads
// ended in a row, letters are drawn in the caller's thread from then on.
import { Worker } from "node:worker_threads";
import type { LetterFonts } from "../pdf/fonts.js";
import type { ApologyLetterInput, SignatureRequest } from "./render.js";
import { type LetterRenderer, renderInCallerThread } from "./renderer.js";

/** Messages between the service and its render thread (render-thread-worker.ts). */
export interface RenderRequest {
  id: number;
  input: ApologyLetterInput;
  signature?: SignatureRequest;
}
export type RenderAnswer = { id: number; pdf: Uint8Array } | { id: number; error: string };

export interface LetterRenderThread {
  render: LetterRenderer;
  close(): Promise<void>;
}

interface Pending {
  request: RenderRequest;
  resolve(pdf: Uint8Array | Promise<Uint8Array>): void;
}

const MAX_LOSSES = 3;
const BOOT = new URL("../runtime/thread-boot.mjs", import.meta.url);
const ENTRY = new URL("./render-thread-worker.ts", import.meta.url).href;

export function letterRenderThread(fonts: LetterFonts): LetterRenderThread {
  const inCaller = renderInCallerThread(fonts);
  const pending = new Map<number, Pending>();
  let worker: Worker | undefined;
  let nextId = 0;
  let closed = false;
  // Threads that ended with no letter drawn between: past a few, threads cannot run here.
  let losses = 0;

  // A request the thread did not answer is drawn here: its caller never sees the thread's failure.
  const drawHere = (entries: Iterable<Pending>) => {
    for (const { request, resolve } of entries) {
      pending.delete(request.id);
      resolve(inCaller(request.input, request.signature));
    }
  };

  const start = (): Worker => {
    const thread = new Worker(BOOT, { workerData: { entry: ENTRY, fontBytes: fonts.bytes } });
    thread.on("message", (answer: RenderAnswer) => {
      const entry = pending.get(answer.id);
      if (!entry) return;
      if ("error" in answer) drawHere([entry]);
      else {
        losses = 0;
        pending.delete(answer.id);
        entry.resolve(answer.pdf);
      }
      if (pending.size === 0) thread.unref();
    });
    thread.on("error", () => {});
    thread.once("exit", () => {
      if (worker === thread) worker = undefined;
      if (++losses > MAX_LOSSES) closed = true;
      drawHere([...pending.values()]);
    });
    return thread;
  };

  const render: LetterRenderer = (input, signature) => {
    if (closed) return inCaller(input, signature);
    worker ??= start();
    const request: RenderRequest = { id: nextId++, input, ...(signature ? { signature } : {}) };
    const thread = worker;
    return new Promise<Uint8Array>((resolve) => {
      pending.set(request.id, { request, resolve });
      // Drawing keeps the process alive; an idle thread does not.
      thread.ref();
      thread.postMessage(request);
    });
  };

  return {
    render,
    async close() {
      closed = true;
      const thread = worker;
      worker = undefined;
      await thread?.terminate();
    },
  };
}
