// multipart/form-data, as a browser sends a form with a file: fields as text, files as bytes.
// Only what the console's forms need (no nested multipart); the service's body limit bounds it.

import { InterdictError } from "../errors.js";

export interface Multipart {
  fields: Record<string, string>;
  files: { field: string; name: string; type: string; content: Buffer }[];
}

export function parseMultipart(body: Buffer, contentType: string): Multipart {
  const m = /boundary=(?:"([^"]+)"|([^;]+))/i.exec(contentType);
  const boundary = m?.[1] ?? m?.[2];
  if (!boundary)
    throw new InterdictError("INTERDICT_E_INPUT", "multipart without a boundary", { field: "content-type" });
  const delim = Buffer.from(`--${boundary}`);
  const out: Multipart = { fields: {}, files: [] };
  let pos = body.indexOf(delim);
  while (pos >= 0) {
    const start = pos + delim.length;
    if (body.subarray(start, start + 2).toString() === "--") break;
    const next = body.indexOf(delim, start);
    if (next < 0) break;
    const part = body.subarray(start + 2, next - 2); // skip CRLF after the delimiter and before the next
    const headEnd = part.indexOf("\r\n\r\n");
    if (headEnd >= 0) {
      const head = part.subarray(0, headEnd).toString("utf8");
      const content = part.subarray(headEnd + 4);
      const name = /name="([^"]*)"/i.exec(head)?.[1] ?? "";
      const filename = /filename="([^"]*)"/i.exec(head)?.[1];
      const type = /content-type:\s*([^\r\n]+)/i.exec(head)?.[1] ?? "application/octet-stream";
      if (filename !== undefined) {
        if (filename) out.files.push({ field: name, name: filename, type, content: Buffer.from(content) });
      } else out.fields[name] = content.toString("utf8");
    }
    pos = next;
  }
  return out;
}
