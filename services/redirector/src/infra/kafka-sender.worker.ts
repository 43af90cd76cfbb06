/**
 * Worker thread of KafkaSender (kafka-sender.ts): owns the idempotent kafkajs producer and the
 * Redis connection that writes the recent-click records, so that serialising, checking, encoding
 * and sending clicks (the costliest part of a redirect) runs beside the request thread, which only
 * posts the clicks' field values. Always run compiled, from dist/ (see KafkaSender).
 *
 * in:  { op: 'send', id, topic, clicks?, payload?, recent? }  clicks in their wire form, or
 *        payload = spooled messages as `key<TAB>value<LF>` lines; recent = clicks whose
 *        `click:<clickId>` records to write (whatever Kafka does)
 *      { op: 'remember', id, recent }   only the recent-click records
 *      { op: 'close', id }
 * out: { id, error?: string }, { recentErrors: n } when records could not be written, and
 *      { rejected: { clickId, error } } for a click that broke the event contract (not sent)
 */
import { parentPort, workerData } from 'node:worker_threads';
import { Redis } from 'ioredis';
import { Kafka, Partitioners, logLevel, type PartitionerArgs } from 'kafkajs';
import { batchEnd, clickMessages, fromWire, recentClickRecord, type ClickMessage, type WireClick } from './click-message';
import type { SenderReply, SenderRequest, SenderWorkerData } from './kafka-sender';

const settings = workerData as SenderWorkerData;

const kafka = new Kafka({
  clientId: settings.clientId,
  brokers: settings.brokers,
  logLevel: logLevel.NOTHING,
  retry: { initialRetryTime: 200, retries: 8 },
  connectionTimeout: 3_000,
});

const reply = (message: SenderReply) => parentPort?.postMessage(message);

/** kafkajs's default partitioner (murmur2, Java-compatible) memoised per key; bounded. */
function memoisedPartitioner() {
  const partition = Partitioners.DefaultPartitioner();
  const memo = new Map<string, number>();
  let partitions = 0;
  return (args: PartitionerArgs) => {
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

let connected: Promise<void> | undefined;
const connect = () =>
  (connected ??= producer.connect().catch((err: unknown) => {
    connected = undefined;
    throw err;
  }));

/** How long /api/track/lead can attribute by the Redis record alone (then: analytics' lookup). */
const RECENT_CLICK_TTL_S = 24 * 3600;

// One command for a whole batch of recent-click records (a pipeline of SETs costs a command each).
const SET_RECENT = `
for i, key in ipairs(KEYS) do redis.call('SET', key, ARGV[i + 1], 'EX', ARGV[1]) end
return #KEYS`;

type RecentRedis = Redis & { setRecentClicks(numberOfKeys: number, ...keysThenArgs: (string | number)[]): Promise<number> };
const redis = settings.redis
  ? (new Redis(settings.redis.url, {
      keyPrefix: settings.redis.keyPrefix,
      maxRetriesPerRequest: 1,
      commandTimeout: 2_000,
      retryStrategy: (attempt: number) => Math.min(attempt * 100, 1_000),
    }) as RecentRedis)
  : undefined;
redis?.on('error', () => undefined); // failed writes are counted below
redis?.defineCommand('setRecentClicks', { lua: SET_RECENT });

/**
 * Writes the `click:<clickId>` records of `recent` (wire form) in one command; a cache, so
 * failures are only counted (by the request thread's metric).
 */
async function remember(recent: WireClick[] | undefined): Promise<void> {
  if (!recent?.length || !redis) return;
  const clicks = recent.map(fromWire);
  const args = new Array<string | number>(clicks.length * 2 + 1);
  args[clicks.length] = RECENT_CLICK_TTL_S;
  clicks.forEach((click, i) => {
    const [key, value] = recentClickRecord(click);
    args[i] = key;
    args[clicks.length + 1 + i] = value;
  });
  try {
    await redis.setRecentClicks(clicks.length, ...args);
  } catch {
    reply({ recentErrors: clicks.length });
  }
}

function decode(payload: string): ClickMessage[] {
  const messages: ClickMessage[] = [];
  for (const line of payload.split('\n')) {
    const tab = line.indexOf('\t');
    if (tab > 0) messages.push({ key: line.slice(0, tab), value: line.slice(tab + 1) });
  }
  return messages;
}

async function send(topic: string, messages: ClickMessage[]): Promise<void> {
  await connect();
  for (let start = 0; start < messages.length; ) {
    const end = batchEnd(messages, start, Infinity);
    await producer.send({ topic, acks: -1, messages: messages.slice(start, end) });
    start = end;
  }
}

const rejected = (click: { clickId: string }, err: Error) => reply({ rejected: { clickId: click.clickId, error: err.message } });

async function handle(msg: SenderRequest): Promise<void> {
  try {
    if (msg.op === 'send') {
      const recorded = remember(msg.recent);
      await send(String(msg.topic), msg.clicks ? clickMessages(msg.clicks.map(fromWire), rejected, settings.eventCheck) : decode(String(msg.payload)));
      await recorded;
    } else if (msg.op === 'remember') {
      await remember(msg.recent);
    } else if (msg.op === 'close') {
      if (connected) await producer.disconnect();
      redis?.disconnect();
    }
    reply({ id: msg.id });
  } catch (err) {
    reply({ id: msg.id, error: err instanceof Error ? err.message : String(err) });
  }
}

parentPort?.on('message', (msg: SenderRequest) => void handle(msg));
