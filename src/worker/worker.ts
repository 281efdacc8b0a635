// A payment worker: pulls from the shared durable consumer (stream.ts), screens each payment
// with the same code as POST /screen/payment, publishes one decision per payment key and acks
// the payment only once the decision is stored. At-least-once in, exactly one decision out: a
// payment whose worker died before the ack comes back after ack_wait, is screened again, and
// the decisions stream drops the repeat by its Nats-Msg-Id.
//
// Alerts: a payment held, blocked or rejected raises its alerts (through `alerts`, before the
// decision is published and the payment acked) under the payment's key, so a redelivered payment
// finds its alerts already open and raises none again: one decision and one set of alerts.
//
// Poison: a message that cannot be read (bad XML, unknown content type, oversize) goes to the
// dead-letter subject with the reason at once; one whose screening keeps failing goes there
// after `maxDeliver` attempts. Either way it is acked, so it never blocks the stream.

import { type JetStreamClient, type JsMsg, jetstream, jetstreamManager } from "@nats-io/jetstream";
import { headers, type NatsConnection } from "@nats-io/transport-node";
import { InterdictError } from "../errors.js";
import type { Matcher } from "../match/matcher.js";
import type { Resolution } from "../resolve/canonical.js";
import {
  type Payment,
  type PaymentOptions,
  type PaymentScreening,
  parsePayment,
  screenPayment,
} from "../screen/payment/index.js";
import { paymentByPerson } from "../screen/persons.js";
import { Counter, Gauge, Histogram, Registry } from "./metrics.js";
import { ensureStreams, type StreamNames, type StreamOptions } from "./stream.js";

/** Header the publisher may set with its clock (ms since epoch), for end-to-end latency. */
export const PUBLISHED_HEADER = "Interdict-Published";
export const REASON_HEADER = "Interdict-Reason";

export interface Decision {
  /** The payment's key: its Nats-Msg-Id (UETR or message id), else the message id read from it. */
  readonly key: string;
  readonly message_id: string;
  readonly format: string;
  readonly decision: PaymentScreening["decision"];
  readonly rule: string;
  readonly hits: {
    field: string;
    value: string;
    /** The person: the canonical id where resolution joined list entries, else the entry's id. */
    entity_id: string;
    /** Every list entry of the person. */
    referents: readonly string[];
    caption: string;
    score: number;
    outcome: string;
  }[];
  readonly worker: string;
  /** Stream sequence of the payment and how many times it had been delivered. */
  readonly seq: number;
  readonly delivery: number;
  readonly published?: number;
  readonly decided: number;
}

export interface WorkerOptions {
  nc: NatsConnection;
  names: StreamNames;
  matcher: Matcher;
  payment?: PaymentOptions;
  /** Which list entries are one person (`interdict resolve`): hits and alerts are per person. */
  resolution?: Resolution;
  stream?: StreamOptions;
  /** Attempts before a message whose screening throws goes to the dead-letter subject. */
  maxDeliver?: number;
  /** Messages pulled at a time. */
  batch?: number;
  /**
   * Raises the alerts of a payment held, blocked or rejected, keyed by the payment's key; must be
   * idempotent for one key (the alert books are: one open alert per pair).
   */
  alerts?: (screening: PaymentScreening, key: string, payment: Payment) => unknown;
  /** Name in decisions and logs (default host:pid). */
  id?: string;
  log?: (line: string) => void;
}

export interface WorkerHandle {
  readonly registry: Registry;
  /** Screens from now on against a new matcher (a new list version): payments in flight finish on the old. */
  swap(matcher: Matcher, payment?: PaymentOptions, resolution?: Resolution): void;
  /** Stops pulling, lets the decisions in flight be stored, then resolves. */
  stop(): Promise<void>;
  /** Resolves when the worker has stopped (by `stop` or by losing its connection). */
  readonly done: Promise<void>;
}

function workerMetrics(lag: () => number) {
  const registry = new Registry();
  return {
    registry,
    payments: registry.add(new Counter("interdict_worker_payments_total", "Payments screened, by decision")),
    dead: registry.add(
      new Counter("interdict_worker_dead_letters_total", "Messages sent to the dead-letter subject"),
    ),
    redelivered: registry.add(
      new Counter(
        "interdict_worker_redelivered_total",
        "Payments received more than once (after a worker died)",
      ),
    ),
    duplicates: registry.add(
      new Counter(
        "interdict_worker_duplicate_decisions_total",
        "Decisions the stream dropped as already recorded",
      ),
    ),
    latency: registry.add(new Histogram("interdict_worker_screening_seconds", "Time to screen one payment")),
    endToEnd: registry.add(
      new Histogram(
        "interdict_worker_end_to_end_seconds",
        "From the publisher's clock to the decision stored",
      ),
    ),
    lag: registry.add(
      new Gauge("interdict_worker_consumer_lag", "Payments not yet delivered or not yet acknowledged", () => [
        { value: lag() },
      ]),
    ),
  };
}

export async function startWorker(opts: WorkerOptions): Promise<WorkerHandle> {
  const { nc, names } = opts;
  const id = opts.id ?? `worker-${process.pid}`;
  const maxDeliver = opts.maxDeliver ?? 5;
  const log = opts.log ?? (() => {});
  const jsm = await jetstreamManager(nc);
  await ensureStreams(jsm, names, opts.stream);
  const js = jetstream(nc);
  const consumer = await js.consumers.get(names.payments, names.consumer);
  let lag = 0;
  const m = workerMetrics(() => lag);
  const lagTimer = setInterval(() => {
    consumer.info().then(
      (i) => {
        lag = i.num_pending + i.num_ack_pending;
      },
      () => {},
    );
  }, 1000);
  lagTimer.unref();

  let matcher = opts.matcher;
  let paymentOpts = opts.payment;
  let resolution = opts.resolution;
  const messages = await consumer.consume({ max_messages: opts.batch ?? 100 });
  const inFlight = new Set<Promise<void>>();

  const deadLetter = async (msg: JsMsg, key: string, reason: string): Promise<void> => {
    const h = headers();
    h.set(REASON_HEADER, reason.replace(/[\r\n]+/g, " ").slice(0, 1000));
    const ct = msg.headers?.get("Content-Type");
    if (ct) h.set("Content-Type", ct);
    await js.publish(names.deadSubject, msg.data, { headers: h, msgID: `dead:${key}` });
    m.dead.inc();
    log(`dead letter ${key}: ${reason}`);
  };

  const handle = async (msg: JsMsg): Promise<void> => {
    const key = msg.headers?.get("Nats-Msg-Id") || `seq:${msg.seq}`;
    const delivery = msg.info.deliveryCount;
    if (delivery > 1) m.redelivered.inc();
    let screening: PaymentScreening;
    let payment: Payment;
    const t0 = performance.now();
    try {
      payment = parsePayment(msg.string(), msg.headers?.get("Content-Type") ?? "");
      // Decided on every entry's hit first, then one hit per person, as POST /screen/payment.
      screening = screenPayment(payment, matcher, paymentOpts);
      if (resolution) screening = paymentByPerson(screening, resolution);
    } catch (e) {
      if (e instanceof InterdictError)
        return deadLetter(msg, key, `${e.code}: ${e.message}`).then(() => msg.ack());
      if (delivery >= maxDeliver) {
        return deadLetter(msg, key, `failed ${delivery} times: ${(e as Error).message}`).then(() =>
          msg.ack(),
        );
      }
      msg.nak(1000);
      return;
    }
    m.latency.observe((performance.now() - t0) / 1000);
    const published = Number(msg.headers?.get(PUBLISHED_HEADER)) || undefined;
    const decision: Decision = {
      key: msg.headers?.get("Nats-Msg-Id") || screening.message_id || key,
      message_id: screening.message_id,
      format: screening.format,
      decision: screening.decision,
      rule: screening.rule,
      hits: screening.hits.map((h) => ({
        field: h.field,
        value: h.value,
        entity_id: h.entity_id,
        referents: "referents" in h ? (h.referents as readonly string[]) : [h.entity_id],
        caption: h.caption,
        score: h.score,
        outcome: h.outcome,
      })),
      worker: id,
      seq: msg.seq,
      delivery,
      ...(published ? { published } : {}),
      decided: Date.now(),
    };
    if (screening.decision !== "release") await opts.alerts?.(screening, decision.key, payment);
    const ack = await js.publish(names.decisionsSubject, JSON.stringify(decision), {
      msgID: `decision:${decision.key}`,
    });
    if (ack.duplicate) m.duplicates.inc();
    m.payments.inc({ decision: decision.decision });
    if (published) m.endToEnd.observe((Date.now() - published) / 1000);
    msg.ack();
  };

  let stopping = false;
  const done = (async () => {
    for await (const msg of messages) {
      const p = handle(msg).catch((e) => {
        // NATS gone or publish timed out: no ack, so the payment comes back after ack_wait.
        log(`payment ${msg.seq} left for redelivery: ${(e as Error).message}`);
      });
      inFlight.add(p);
      void p.finally(() => inFlight.delete(p));
      // Screening is synchronous; yield now and then so publish acks and pulls get through.
      if (inFlight.size >= 64) await Promise.race(inFlight);
      if (stopping) break;
    }
    await Promise.all(inFlight);
    clearInterval(lagTimer);
  })();

  return {
    registry: m.registry,
    done,
    swap(next, payment, nextResolution) {
      matcher = next;
      paymentOpts = payment;
      resolution = nextResolution;
    },
    async stop() {
      stopping = true;
      await messages.close();
      await done;
    },
  };
}

export type { JetStreamClient };
