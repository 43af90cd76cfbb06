import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createLogger } from '@hop/telemetry';
import { Spool, type SpooledMessage } from './spool';

const logger = createLogger('spool-test', 'silent');
const msg = (i: number): SpooledMessage => ({ key: `k${i % 3}`, value: JSON.stringify({ i }) });
const range = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => msg(from + i));

describe('Spool', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hop-spool-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('replays appended messages in order across segments, then removes them', async () => {
    const spool = new Spool(dir, logger);
    spool.append(range(0, 5));
    spool.rotate();
    spool.append(range(5, 8));
    spool.rotate();
    expect(spool.size).toBeGreaterThan(0);
    const sent: SpooledMessage[] = [];
    expect(await spool.replay(async (batch) => void sent.push(...batch), 2)).toBe(8);
    expect(sent).toEqual(range(0, 8));
    expect(spool.isEmpty).toBe(true);
    expect(spool.size).toBe(0);
    expect(fs.readdirSync(dir)).toEqual([]);
  });

  it('puts a prepended batch first and resumes after a failure without resending', async () => {
    const spool = new Spool(dir, logger);
    spool.append(range(10, 14));
    spool.prepend(range(0, 2));
    spool.rotate();
    const sent: SpooledMessage[] = [];
    let calls = 0;
    const flaky = async (batch: SpooledMessage[]) => {
      if (++calls === 3) throw new Error('broker gone');
      sent.push(...batch);
    };
    await expect(spool.replay(flaky, 1)).rejects.toThrow('broker gone');
    await spool.replay(flaky, 1);
    expect(sent).toEqual([...range(0, 2), ...range(10, 14)]);
  });

  it('adopts the segments of a process that is gone, skips a torn last line, and leaves live processes alone', async () => {
    const previous = new Spool(dir, logger);
    previous.append(range(0, 3));
    previous.close();
    // A torn write at the end of the previous process's file.
    const [file] = fs.readdirSync(dir);
    fs.appendFileSync(path.join(dir, file), 'k1\t{"i":');
    // Same pid, other token: the previous incarnation of this process (as in a restarted container).
    const live = path.join(dir, `0000000000000001-${process.ppid}-abcdef.spool`);
    fs.writeFileSync(live, `k0\t${JSON.stringify({ i: 99 })}\n`);

    const spool = new Spool(dir, logger);
    expect(spool.adoptOrphans()).toBe(1);
    const sent: SpooledMessage[] = [];
    await spool.replay(async (batch) => void sent.push(...batch), 10);
    expect(sent).toEqual(range(0, 3));
    expect(fs.existsSync(live)).toBe(true); // its owner (our parent process) is alive
  });
});
