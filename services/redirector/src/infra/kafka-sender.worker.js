// @ts-check
/**
 * Worker thread of KafkaSender (kafka-sender.ts): owns the idempotent kafkajs producer, so that
 * encoding and sending clicks (the costliest part of a redirect) runs beside the request thread.
 * Plain JavaScript so that it runs as is from src/ (tests) and dist/ (allowJs copies it).
 *
 * in:  { op: 'send', id, topic, payload }  payload = messages as `key<TAB>value<LF>` lines
 *      { op: 'close', id }
 * out: { id, error?: string }
 */
const { parentPort, workerData } = require('node:worker_threads');
const { Kafka, Partitioners, logLevel } = require('kafkajs');

const kafka = new Kafka({
  clientId: workerData.clientId,
  brokers: workerData.brokers,
  logLevel: logLevel.NOTHING,
  retry: { initialRetryTime: 200, retries: 8 },
  connectionTimeout: 3_000,
});

/** kafkajs's default partitioner (murmur2, Java-compatible) memoised per key; bounded. */
function memoisedPartitioner() {
  const partition = Partitioners.DefaultPartitioner();
  /** @type {Map<string, number>} */
  const memo = new Map();
  let partitions = 0;
  return (/** @type {import('kafkajs').PartitionerArgs} */ args) => {
    const key = String(args.message.key);
    if (partitions !== args.partitionMetadata.length || memo.size > 100_000) {
      memo.clear();
      partitions = args.partitionMetadata.length;
    }
    let p = memo.get(key);
    if (p === undefined) memo.set(key, (p = partition(args)));
    return p;
  };
}

const producer = kafka.producer({
  idempotent: true,
  maxInFlightRequests: 1,
  allowAutoTopicCreation: false,
  createPartitioner: () => memoisedPartitioner(),
  // Retry (with the same sequence numbers) until acknowledged: a batch retried by the caller
  // could be written twice.
  retry: { retries: Number.MAX_SAFE_INTEGER, initialRetryTime: 100, maxRetryTime: 2_000 },
});

/** @type {Promise<void> | undefined} */
let connected;
const connect = () =>
  (connected ??= producer.connect().catch((err) => {
    connected = undefined;
    throw err;
  }));

/** @param {string} payload */
function decode(payload) {
  const messages = [];
  for (const line of payload.split('\n')) {
    const tab = line.indexOf('\t');
    if (tab > 0) messages.push({ key: line.slice(0, tab), value: line.slice(tab + 1) });
  }
  return messages;
}

parentPort?.on('message', async (/** @type {{ op: string; id: number; topic?: string; payload?: string }} */ msg) => {
  try {
    if (msg.op === 'send') {
      await connect();
      await producer.send({ topic: String(msg.topic), acks: -1, messages: decode(String(msg.payload)) });
    } else if (msg.op === 'close') {
      if (connected) await producer.disconnect();
    }
    parentPort?.postMessage({ id: msg.id });
  } catch (err) {
    parentPort?.postMessage({ id: msg.id, error: err instanceof Error ? err.message : String(err) });
  }
});
