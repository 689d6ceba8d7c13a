// A worker thread's entry (the sync's prepare pool, the letters' render thread): the service runs
// its TypeScript through tsx, whose loader the main thread registered with --import; a worker thread
// registers its own, then loads the module it was started for.
import { workerData } from "node:worker_threads";
import { register } from "tsx/esm/api";

register();
await import(workerData.entry);
