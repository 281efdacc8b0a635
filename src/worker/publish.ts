// Publishing payments to the stream, for tests, benches and `interdict publish-payments`: each
// message with its Content-Type, a key as Nats-Msg-Id (the stream drops a re-sent key) and the
// publisher's clock for end-to-end latency.

import { extname } from "node:path";
import { type JetStreamClient, jetstream } from "@nats-io/jetstream";
import { headers, type NatsConnection } from "@nats-io/transport-node";
import type { StreamNames } from "./stream.js";
import { PUBLISHED_HEADER } from "./worker.js";

export interface PaymentMessage {
  readonly body: string;
  readonly contentType: string;
  /** UETR or message id; must be unique per payment. */
  readonly key: string;
}

/** The content type a payment file's extension implies. */
export function contentTypeOf(path: string): string {
  const ext = extname(path).toLowerCase();
  return ext === ".xml" ? "application/xml" : ext === ".json" ? "application/json" : "text/plain";
}

/** Publishes the messages, up to `window` unacknowledged at a time. Returns how many were new. */
export async function publishPayments(
  nc: NatsConnection,
  names: StreamNames,
  messages: Iterable<PaymentMessage>,
  opts: { window?: number; js?: JetStreamClient } = {},
): Promise<{ published: number; duplicates: number }> {
  const js = opts.js ?? jetstream(nc);
  const window = opts.window ?? 256;
  const pending = new Set<Promise<void>>();
  let published = 0;
  let duplicates = 0;
  for (const msg of messages) {
    const h = headers();
    h.set("Content-Type", msg.contentType);
    h.set(PUBLISHED_HEADER, String(Date.now()));
    const p = js.publish(names.paymentsSubject, msg.body, { headers: h, msgID: msg.key }).then((ack) => {
      if (ack.duplicate) duplicates++;
      else published++;
    });
    pending.add(p);
    void p.finally(() => pending.delete(p)).catch(() => {});
    if (pending.size >= window) await Promise.race(pending);
  }
  await Promise.all(pending);
  return { published, duplicates };
}
