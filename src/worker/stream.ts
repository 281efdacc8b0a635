// The JetStream layout the payment workers share, named from one prefix (default `interdict`),
// so tests and benches run on streams of their own:
//
//   <PREFIX>_PAYMENTS   subject <prefix>.payments    payment messages in; header Content-Type
//                                                    (as for POST /screen/payment) and Nats-Msg-Id
//                                                    (the payment's key: UETR or message id)
//   <PREFIX>_DECISIONS  subject <prefix>.decisions   one JSON decision per payment key
//   <PREFIX>_DEAD       subject <prefix>.dead        poison messages, as received, with the reason
//                                                    in header Interdict-Reason
//
// Durable pull consumer `<prefix>-screen` on the payments stream, shared by every worker.
// Decisions are published with Nats-Msg-Id `decision:<key>` and the decisions stream remembers
// ids for `duplicateWindowSeconds`: a payment redelivered after a worker died is screened again,
// but its second decision is dropped by the stream, so each key has exactly one decision.

import { AckPolicy, type JetStreamManager, type StreamConfig } from "@nats-io/jetstream";

export interface StreamNames {
  readonly payments: string;
  readonly paymentsSubject: string;
  readonly decisions: string;
  readonly decisionsSubject: string;
  readonly dead: string;
  readonly deadSubject: string;
  readonly consumer: string;
}

export function streamNames(prefix = "interdict"): StreamNames {
  if (!/^[a-z][a-z0-9_-]*$/.test(prefix)) throw new Error(`not a plain stream prefix: ${prefix}`);
  const up = prefix.toUpperCase().replace(/-/g, "_");
  return {
    payments: `${up}_PAYMENTS`,
    paymentsSubject: `${prefix}.payments`,
    decisions: `${up}_DECISIONS`,
    decisionsSubject: `${prefix}.decisions`,
    dead: `${up}_DEAD`,
    deadSubject: `${prefix}.dead`,
    consumer: `${prefix}-screen`,
  };
}

export interface StreamOptions {
  /** How long a decision's id is remembered for deduplication (default one day). */
  duplicateWindowSeconds?: number;
  /** How long a delivered message may stay unacknowledged before it goes to another worker. */
  ackWaitSeconds?: number;
  /** Unacknowledged messages in flight across all workers. */
  maxAckPending?: number;
}

const NS = 1e9;

async function ensureStream(
  jsm: JetStreamManager,
  config: Partial<StreamConfig> & { name: string },
): Promise<void> {
  try {
    await jsm.streams.info(config.name);
  } catch {
    try {
      await jsm.streams.add(config);
    } catch (e) {
      // Another worker created it between our look and our add.
      await jsm.streams.info(config.name).catch(() => {
        throw e;
      });
    }
  }
}

/** Creates the streams and the durable consumer if they are missing (every worker calls it). */
export async function ensureStreams(
  jsm: JetStreamManager,
  names: StreamNames,
  opts: StreamOptions = {},
): Promise<void> {
  await ensureStream(jsm, { name: names.payments, subjects: [names.paymentsSubject] });
  await ensureStream(jsm, {
    name: names.decisions,
    subjects: [names.decisionsSubject],
    duplicate_window: (opts.duplicateWindowSeconds ?? 86400) * NS,
  });
  await ensureStream(jsm, {
    name: names.dead,
    subjects: [names.deadSubject],
    duplicate_window: (opts.duplicateWindowSeconds ?? 86400) * NS,
  });
  try {
    await jsm.consumers.info(names.payments, names.consumer);
  } catch {
    await jsm.consumers.add(names.payments, {
      durable_name: names.consumer,
      ack_policy: AckPolicy.Explicit,
      ack_wait: (opts.ackWaitSeconds ?? 30) * NS,
      max_ack_pending: opts.maxAckPending ?? 2000,
    });
  }
}

/** Removes the streams (tests and benches clean up after themselves). */
export async function deleteStreams(jsm: JetStreamManager, names: StreamNames): Promise<void> {
  for (const s of [names.payments, names.decisions, names.dead])
    await jsm.streams.delete(s).catch(() => false);
}
