// @ts-check
/**
 * Worker thread of KafkaSender (kafka-sender.ts): owns the idempotent kafkajs producer and the
 * Redis connection that writes the recent-click records, so that serialising, encoding and
 * sending clicks (the costliest part of a redirect) runs beside the request thread, which only
 * posts the clicks' field values. Plain JavaScript so that it runs as is from src/ (tests) and dist/
 * (allowJs copies it).
 *
 * in:  { op: 'send', id, topic, clicks?, payload?, recent? }  clicks in their wire form, or
 *        payload = spooled messages as `key<TAB>value<LF>` lines; recent = clicks whose
 *        `click:<clickId>` records to write (whatever Kafka does)
 *      { op: 'remember', id, recent }   only the recent-click records
 *      { op: 'close', id }
 * out: { id, error?: string }   and   { recentErrors: n } when records could not be written
 */
const { parentPort, workerData } = require('node:worker_threads');
const { Redis } = require('ioredis');
const { Kafka, Partitioners, logLevel } = require('kafkajs');
const { batchEnd, clickMessage, fromWire, recentClickRecord } = require('./click-message');

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

/** How long /api/track/lead can attribute by the Redis record alone (then: analytics' lookup). */
const RECENT_CLICK_TTL_S = 24 * 3600;

// One command for a whole batch of recent-click records (a pipeline of SETs costs a command each).
const SET_RECENT = `
for i, key in ipairs(KEYS) do redis.call('SET', key, ARGV[i + 1], 'EX', ARGV[1]) end
return #KEYS`;

/** @typedef {Redis & { setRecentClicks(numberOfKeys: number, ...keysThenArgs: (string | number)[]): Promise<number> }} RecentRedis */
const redis = workerData.redis
  ? /** @type {RecentRedis} */ (
      new Redis(workerData.redis.url, {
        keyPrefix: workerData.redis.keyPrefix,
        maxRetriesPerRequest: 1,
        commandTimeout: 2_000,
        retryStrategy: (/** @type {number} */ attempt) => Math.min(attempt * 100, 1_000),
      })
    )
  : undefined;
redis?.on('error', () => undefined); // failed writes are counted below
redis?.defineCommand('setRecentClicks', { lua: SET_RECENT });

/**
 * Writes the `click:<clickId>` records of `recent` (wire form) in one command; a cache, so
 * failures are only counted (by the request thread's metric).
 * @param {unknown[][] | undefined} recent
 */
async function remember(recent) {
  if (!recent?.length || !redis) return;
  const clicks = recent.map(fromWire);
  /** @type {(string | number)[]} */
  const args = new Array(clicks.length * 2 + 1);
  args[clicks.length] = RECENT_CLICK_TTL_S;
  clicks.forEach((click, i) => {
    const [key, value] = recentClickRecord(click);
    args[i] = key;
    args[clicks.length + 1 + i] = value;
  });
  try {
    await redis.setRecentClicks(clicks.length, ...args);
  } catch {
    parentPort?.postMessage({ recentErrors: clicks.length });
  }
}

/** @param {string} payload */
function decode(payload) {
  const messages = [];
  for (const line of payload.split('\n')) {
    const tab = line.indexOf('\t');
    if (tab > 0) messages.push({ key: line.slice(0, tab), value: line.slice(tab + 1) });
  }
  return messages;
}

/**
 * @param {string} topic
 * @param {{ key: string, value: string }[]} messages
 */
async function send(topic, messages) {
  await connect();
  for (let start = 0; start < messages.length; ) {
    const end = batchEnd(messages, start, Infinity);
    await producer.send({ topic, acks: -1, messages: messages.slice(start, end) });
    start = end;
  }
}

parentPort?.on('message', async (/** @type {{ op: string; id: number; topic?: string; clicks?: unknown[][]; payload?: string; recent?: unknown[][] }} */ msg) => {
  try {
    if (msg.op === 'send') {
      const recorded = remember(msg.recent);
      await send(String(msg.topic), msg.clicks ? msg.clicks.map((wire) => clickMessage(fromWire(wire))) : decode(String(msg.payload)));
      await recorded;
    } else if (msg.op === 'remember') {
      await remember(msg.recent);
    } else if (msg.op === 'close') {
      if (connected) await producer.disconnect();
      redis?.disconnect();
    }
    parentPort?.postMessage({ id: msg.id });
  } catch (err) {
    parentPort?.postMessage({ id: msg.id, error: err instanceof Error ? err.message : String(err) });
  }
});
