#!/usr/bin/env node
// Fast readiness probe for a Kafka broker, no JVM: sends a Metadata v1 request
// (no topics) and succeeds when the broker answers with >= 1 broker and a
// known controller. Usage: node probe.cjs [host] [port] [timeoutMs]
// Exit 0 = ready, 1 = not ready. Prints a one-line summary on success.
// With a 4th argument `warm`, also asks for a group and a transaction coordinator
// until both are available, so __consumer_offsets / __transaction_state exist
// before the first test consumer (avoids "coordinator not available" retries).
'use strict';
const net = require('net');

const host = process.argv[2] || '127.0.0.1';
const port = Number(process.argv[3] || 9092);
const timeoutMs = Number(process.argv[4] || 2000);

function request() { // Metadata v1, no topics
  const clientId = Buffer.from('hop-probe');
  const body = Buffer.alloc(2 + 2 + 4 + 2 + clientId.length + 4);
  let o = 0;
  o = body.writeInt16BE(3, o); // api key: Metadata
  o = body.writeInt16BE(1, o); // api version 1
  o = body.writeInt32BE(7, o); // correlation id
  o = body.writeInt16BE(clientId.length, o);
  o += clientId.copy(body, o);
  body.writeInt32BE(0, o); // topics: empty array -> brokers only
  const size = Buffer.alloc(4);
  size.writeInt32BE(body.length, 0);
  return Buffer.concat([size, body]);
}

function parse(buf) {
  let o = 0;
  const corr = buf.readInt32BE(o); o += 4;
  if (corr !== 7) throw new Error('bad correlation id');
  const n = buf.readInt32BE(o); o += 4;
  const brokers = [];
  for (let i = 0; i < n; i++) {
    const id = buf.readInt32BE(o); o += 4;
    const hl = buf.readInt16BE(o); o += 2;
    const h = buf.toString('utf8', o, o + hl); o += hl;
    const p = buf.readInt32BE(o); o += 4;
    const rl = buf.readInt16BE(o); o += 2;
    if (rl > 0) o += rl;
    brokers.push(`${id}@${h}:${p}`);
  }
  const controller = buf.readInt32BE(o);
  return { brokers, controller };
}


// One request/response round trip on a fresh connection.
function roundTrip(payload) {
  return new Promise((resolve, reject) => {
    const sock = net.connect({ host, port });
    let chunks = Buffer.alloc(0);
    const timer = setTimeout(() => { sock.destroy(); reject(new Error('timeout')); }, timeoutMs);
    sock.on('connect', () => sock.write(payload));
    sock.on('data', (d) => {
      chunks = Buffer.concat([chunks, d]);
      if (chunks.length < 4) return;
      const len = chunks.readInt32BE(0);
      if (chunks.length < 4 + len) return;
      clearTimeout(timer);
      sock.destroy();
      resolve(chunks.subarray(4, 4 + len));
    });
    sock.on('error', (e) => { clearTimeout(timer); reject(e); });
    sock.on('close', () => { clearTimeout(timer); reject(new Error('closed')); });
  });
}

// FindCoordinator v1: key_type 0 = group, 1 = transaction. Returns the error code.
async function findCoordinator(key, keyType) {
  const clientId = Buffer.from('hop-probe');
  const k = Buffer.from(key);
  const body = Buffer.alloc(2 + 2 + 4 + 2 + clientId.length + 2 + k.length + 1);
  let o = 0;
  o = body.writeInt16BE(10, o);
  o = body.writeInt16BE(1, o);
  o = body.writeInt32BE(7, o);
  o = body.writeInt16BE(clientId.length, o);
  o += clientId.copy(body, o);
  o = body.writeInt16BE(k.length, o);
  o += k.copy(body, o);
  body.writeInt8(keyType, o);
  const size = Buffer.alloc(4);
  size.writeInt32BE(body.length, 0);
  const res = await roundTrip(Buffer.concat([size, body]));
  return res.readInt16BE(4 + 4); // after correlation id + throttle_time_ms
}

async function main() {
  const { brokers, controller } = parse(await roundTrip(request()));
  if (brokers.length < 1 || controller < 0) return 1;
  if (process.argv[5] === 'warm') {
    const deadline = Date.now() + 30000;
    for (;;) {
      const g = await findCoordinator('hop-warmup', 0);
      const t = await findCoordinator('hop-warmup', 1);
      if (g === 0 && t === 0) break;
      if (Date.now() > deadline) { console.error(`coordinators not ready (group=${g}, txn=${t})`); return 1; }
      await new Promise((r) => setTimeout(r, 300));
    }
  }
  console.log(`kafka ready at ${host}:${port}: brokers=${brokers.join(',')} controller=${controller}`);
  return 0;
}

main().then((code) => process.exit(code), () => process.exit(1));
