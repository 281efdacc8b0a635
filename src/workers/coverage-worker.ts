// A thread that makes the accountability map's inputs off the service's event loop: it opens
// the store itself (the SQLite file, or the PostgreSQL schema by URL), brings resolution up to date for the scope (a run reads every list and
// weighs candidate pairs: seconds to minutes), reads the designees, and sends back what the map
// needs of them. The map itself is drawn on the main thread from these and the resolution.

import { parentPort, workerData } from "node:worker_threads";
import { mapDesignee } from "../resolve/coverage.js";
import { currentVersions, ensureResolution, loadDesignees } from "../resolve/index.js";
import { openStoreAt } from "../store/open.js";

interface Init {
  readonly db: string;
  readonly scope: string;
}

const init = workerData as Init;
const store = openStoreAt(init.db);
try {
  await ensureResolution(store, init.scope);
  const versions = await currentVersions(store);
  const designees = (await loadDesignees(store, versions)).map(mapDesignee);
  parentPort?.postMessage({ versions, designees });
} finally {
  await store.close();
}
