import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Logger } from '@hop/telemetry';
import { batchEnd } from './click-message';

/** One Kafka message as the spool keeps it. */
export interface SpooledMessage {
  key: string;
  value: string;
}

export interface Segment {
  /** Replay order: smaller first. */
  order: number;
  file: string;
  /** Messages of this segment already sent (this process only). */
  sent: number;
}

const SEGMENT = /^(\d{16})-(\d+)-([a-f0-9]+)\.spool$/;
/** A segment is closed and a new one started past this size, so replay reads bounded files. */
const MAX_SEGMENT_BYTES = 8 * 1024 * 1024;

/**
 * An append-only spool of messages on local disk, in segment files replayed oldest first.
 * Lines are `key<TAB>value` (keys are link ids, values JSON: neither contains a tab or newline).
 *
 * Several processes may share the directory: each writes segments named with its pid and a
 * per-process token, and adopts (by atomic rename) only segments of processes that are gone —
 * including its own previous incarnation when a container restarts with the same pid.
 */
export class Spool {
  private readonly token = randomBytes(6).toString('hex');
  private readonly closed: Segment[] = [];
  private open?: { segment: Segment; fd: number; bytes: number };
  private lastOrder = 0;
  private bytes = 0;

  constructor(
    readonly dir: string,
    private readonly logger: Logger,
  ) {
    fs.mkdirSync(dir, { recursive: true });
  }

  /** Bytes waiting on disk. */
  get size(): number {
    return this.bytes;
  }

  get isEmpty(): boolean {
    return this.bytes === 0 && !this.closed.length && !this.open;
  }

  /** Takes over the segments left by processes that are gone (call at start and before each replay). */
  adoptOrphans(): number {
    let adopted = 0;
    for (const name of fs.readdirSync(this.dir)) {
      const m = SEGMENT.exec(name);
      if (!m || m[3] === this.token || isAlive(Number(m[2]))) continue;
      const order = Number(m[1]);
      const file = path.join(this.dir, `${m[1]}-${process.pid}-${this.token}.spool`);
      try {
        fs.renameSync(path.join(this.dir, name), file);
      } catch {
        continue; // another process adopted it first
      }
      this.closed.push({ order, file, sent: 0 });
      this.bytes += fs.statSync(file).size;
      adopted++;
    }
    this.closed.sort((a, b) => a.order - b.order);
    if (adopted) this.logger.info({ adopted, dir: this.dir }, 'adopted spooled clicks of a previous process');
    return adopted;
  }

  /** Appends messages after everything already spooled (synchronously: on disk when this returns). */
  append(messages: SpooledMessage[]): void {
    if (!messages.length) return;
    if (!this.open || this.open.bytes >= MAX_SEGMENT_BYTES) {
      this.rotate();
      const segment = { order: this.nextOrder(), file: '', sent: 0 };
      segment.file = this.fileFor(segment.order);
      this.open = { segment, fd: fs.openSync(segment.file, 'a'), bytes: 0 };
    }
    const data = encode(messages);
    fs.writeSync(this.open.fd, data);
    this.open.bytes += data.length;
    this.bytes += data.length;
  }

  /**
   * Writes messages as a segment replayed before everything else spooled (a failed batch that was
   * in flight); returns it, for `discard`.
   */
  prepend(messages: SpooledMessage[]): Segment | undefined {
    if (!messages.length) return undefined;
    const first = Math.min(...this.closed.map((s) => s.order), this.open?.segment.order ?? Infinity, this.nextOrder());
    const segment = { order: first - 1, file: this.fileFor(first - 1), sent: 0 };
    const data = encode(messages);
    fs.writeFileSync(segment.file, data);
    this.bytes += data.length;
    this.closed.unshift(segment);
    return segment;
  }

  /** Removes a segment `prepend` wrote that is not to be replayed after all (its batch reached Kafka). */
  discard(segment: Segment): void {
    const at = this.closed.indexOf(segment);
    if (at < 0 || segment.sent) return;
    this.bytes -= fs.statSync(segment.file).size;
    fs.rmSync(segment.file, { force: true });
    this.closed.splice(at, 1);
  }

  /** Closes the segment being appended to, making it replayable. */
  rotate(): void {
    if (!this.open) return;
    fs.closeSync(this.open.fd);
    if (this.open.bytes) this.closed.push(this.open.segment);
    else fs.rmSync(this.open.segment.file, { force: true });
    this.open = undefined;
  }

  /**
   * Replays closed segments oldest first through `send` in batches of `batchSize`, deleting each
   * segment once all its messages were sent. Stops at the first failure (which it rethrows); a
   * later call resumes after the last batch sent.
   */
  async replay(send: (batch: SpooledMessage[]) => Promise<void>, batchSize: number): Promise<number> {
    let total = 0;
    while (this.closed.length) {
      const segment = this.closed[0];
      const messages = this.read(segment.file);
      while (segment.sent < messages.length) {
        const batch = messages.slice(segment.sent, batchEnd(messages, segment.sent, batchSize));
        await send(batch);
        segment.sent += batch.length;
        total += batch.length;
      }
      this.bytes -= fs.statSync(segment.file).size;
      fs.rmSync(segment.file, { force: true });
      this.closed.shift();
    }
    return total;
  }

  /** Number of closed segments waiting (for tests and logs). */
  get pendingSegments(): number {
    return this.closed.length;
  }

  close(): void {
    this.rotate();
  }

  private read(file: string): SpooledMessage[] {
    const messages: SpooledMessage[] = [];
    for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
      const tab = line.indexOf('\t');
      // A torn last line (crash mid-write) is not valid JSON: skip it rather than block the spool.
      if (tab > 0 && line.endsWith('}')) messages.push({ key: line.slice(0, tab), value: line.slice(tab + 1) });
      else if (line) this.logger.error({ file, line: line.slice(0, 200) }, 'skipping a torn spool line');
    }
    return messages;
  }

  private nextOrder(): number {
    // Microsecond-scaled clock, strictly increasing: ordered within a process and across restarts.
    this.lastOrder = Math.max(this.lastOrder + 1, Date.now() * 1000);
    return this.lastOrder;
  }

  private fileFor(order: number): string {
    return path.join(this.dir, `${String(order).padStart(16, '0')}-${process.pid}-${this.token}.spool`);
  }
}

const encode = (messages: SpooledMessage[]) => Buffer.from(messages.map((m) => `${m.key}\t${m.value}\n`).join(''));

function isAlive(pid: number): boolean {
  if (pid === process.pid) return false; // same pid, other token: our previous incarnation
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
