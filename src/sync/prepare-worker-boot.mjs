// A prepare pool thread's entry (prepare-pool.ts): the service runs its TypeScript through tsx,
// whose loader the main thread registered with --import; a worker thread registers its own.
import { workerData } from "node:worker_threads";
import { register } from "tsx/esm/api";

register();
await import(workerData.entry);
