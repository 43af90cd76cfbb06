import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { eventually } from '@hop/testing';
import { AnalyticsHarness, clickEvent, integrity, waitForClicks } from './helpers';

const h = new AnalyticsHarness();
afterAll(() => h.cleanup());

describe('a click consumer group under failures', () => {
  it('ends with exactly the events sent when the consumer is killed mid-batch and restarted', async () => {
    const ws = randomUUID();
    const group = `${h.infra.id}-crash`;
    const env = { CLICKS_CONSUMER_GROUP: group, CONVERSIONS_CONSUMER_GROUP: `${group}-conv` };
    const first = await h.start(env);
    const settled = Array.from({ length: 500 }, () => clickEvent(ws));
    await h.publishClicks(settled);
    await waitForClicks(first, ws, 500);

    // Hold the rollups table: the next batch writes its clicks, then blocks before committing.
    const lock = new Client({ connectionString: h.infra.databaseUrl('analytics') });
    await lock.connect();
    await lock.query('BEGIN');
    await lock.query('LOCK TABLE rollups IN EXCLUSIVE MODE');
    const inFlight = Array.from({ length: 2_000 }, () => clickEvent(ws));
    await h.publishClicks(inFlight);
    // (Polled over another connection: inside a transaction, pg_stat_activity is a snapshot.)
    const blocked = await eventually(async () => {
      const rows = await h.sql<{ pid: number }>(
        `SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock' AND query LIKE 'INSERT INTO rollups%'`,
      );
      return rows.length ? rows.map((r) => r.pid) : null;
    }).catch(async (err) => {
      await lock.end();
      throw err;
    });

    // Kill it: its transaction dies mid-batch and the service goes away without committing the offset.
    const closing = h.stop(first);
    for (const pid of blocked) await lock.query('SELECT pg_terminate_backend($1)', [pid]);
    await lock.query('ROLLBACK');
    await lock.end();
    await closing;
    expect((await integrity(h, ws)).rows).toBeLessThan(2_500);

    const restarted = await h.start(env);
    await waitForClicks(restarted, ws, 2_500);
    await h.caughtUp(group);
    expect(await integrity(h, ws)).toEqual({ rows: 2_500, distinctIds: 2_500, rollupClicks: 2_500 });
    await h.stop(restarted);
  });

  it('ends with exactly the events sent across rebalances (an instance joins, then another leaves)', async () => {
    const ws = randomUUID();
    const group = `${h.infra.id}-rebalance`;
    const env = { CLICKS_CONSUMER_GROUP: group, CONVERSIONS_CONSUMER_GROUP: `${group}-conv` };
    const first = await h.start(env);
    await h.publishClicks(Array.from({ length: 3_000 }, () => clickEvent(ws)));
    await eventually(async () => (await integrity(h, ws)).rows > 0);
    const second = await h.start(env); // the group rebalances while batches are in flight
    await h.publishClicks(Array.from({ length: 1_000 }, () => clickEvent(ws)));
    await h.stop(first); // and again when the first leaves
    await h.publishClicks(Array.from({ length: 1_000 }, () => clickEvent(ws)));
    await waitForClicks(second, ws, 5_000);
    await h.caughtUp(group);
    expect(await integrity(h, ws)).toEqual({ rows: 5_000, distinctIds: 5_000, rollupClicks: 5_000 });
  });
});
