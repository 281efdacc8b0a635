// Worker threads start without the TypeScript loader the main thread has: this plain module
// registers it, then loads the worker's TypeScript entry named in workerData.
import { workerData } from "node:worker_threads";
import { register } from "tsx/esm/api";

register();
await import(workerData.entry);
