// A static file server on loopback with directory listings, like a list mirror would run
// (`python -m http.server`): enough to test `update --mirror URL` end to end.

import { createReadStream, readdirSync, statSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { join, normalize } from "node:path";

export async function serveFolder(root: string): Promise<{ url: string; close(): Promise<void> }> {
  const server: Server = createServer((req, res) => {
    const rel = normalize(decodeURIComponent(new URL(req.url ?? "/", "http://x").pathname));
    if (rel.includes("..")) return void res.writeHead(400).end();
    const path = join(root, rel);
    let st: ReturnType<typeof statSync>;
    try {
      st = statSync(path);
    } catch {
      return void res.writeHead(404).end("not found");
    }
    if (st.isDirectory()) {
      const links = readdirSync(path)
        .map((n) => `<a href="${n}${statSync(join(path, n)).isDirectory() ? "/" : ""}">${n}</a>`)
        .join("\n");
      return void res
        .writeHead(200, { "content-type": "text/html" })
        .end(`<html><body>${links}</body></html>`);
    }
    res.writeHead(200, { "content-length": st.size });
    createReadStream(path).pipe(res);
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}/`,
    close: () => new Promise((r) => server.close(() => r())),
  };
}
