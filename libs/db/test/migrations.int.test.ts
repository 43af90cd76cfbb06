import { TestInfra } from '@hop/testing';
import type { MigrationInterface, QueryRunner } from 'typeorm';
import { openDatabase, preparedRows } from '../src';

class CreateWidgets1700000000001 implements MigrationInterface {
  name = 'CreateWidgets1700000000001';
  async up(q: QueryRunner) {
    await q.query('CREATE TABLE widgets (id serial PRIMARY KEY, workspace_id uuid NOT NULL, name text NOT NULL)');
  }
  async down(q: QueryRunner) {
    await q.query('DROP TABLE widgets');
  }
}

describe('openDatabase (real PostgreSQL)', () => {
  const infra = new TestInfra();
  afterAll(() => infra.cleanup());

  it('creates a missing database, runs migrations on it, and is idempotent on a second start', async () => {
    const url = infra.databaseUrl('migrations');
    const first = await openDatabase({ url, entities: [], migrations: [CreateWidgets1700000000001] });
    await first.query(`INSERT INTO widgets (workspace_id, name) VALUES ('00000000-0000-4000-8000-000000000001', 'a')`);
    const applied = await first.query('SELECT name FROM migrations');
    await first.destroy();

    const second = await openDatabase({ url, entities: [], migrations: [CreateWidgets1700000000001] });
    expect(await second.query('SELECT name FROM migrations')).toEqual(applied);
    expect(await second.query('SELECT name FROM widgets')).toEqual([{ name: 'a' }]);
    await second.destroy();
  });

  it('lets concurrent starts race on an empty database', async () => {
    const url = infra.databaseUrl('race');
    const sources = await Promise.all([1, 2, 3].map(() => openDatabase({ url, entities: [], migrations: [CreateWidgets1700000000001] })));
    expect(await sources[0].query('SELECT count(*)::int AS n FROM migrations')).toEqual([{ n: 1 }]);
    await Promise.all(sources.map((s) => s.destroy()));
  });

  it('runs a hot statement as a named prepared statement on the pool, prepared once per connection', async () => {
    const url = infra.databaseUrl('prepared');
    const db = await openDatabase({ url, poolSize: 1, entities: [], migrations: [CreateWidgets1700000000001] });
    await db.query(`INSERT INTO widgets (workspace_id, name) VALUES ('00000000-0000-4000-8000-000000000001', 'a'), ('00000000-0000-4000-8000-000000000001', 'b')`);
    const byName = (name: string) => preparedRows<{ name: string }>(db, 'widgets-by-name', 'SELECT name FROM widgets WHERE name = $1', [name]);
    expect(await byName('a')).toEqual([{ name: 'a' }]);
    expect(await byName('b')).toEqual([{ name: 'b' }]);
    // the pool's one connection holds it, prepared
    expect(await db.query('SELECT name, statement FROM pg_prepared_statements')).toEqual([
      { name: 'widgets-by-name', statement: 'SELECT name FROM widgets WHERE name = $1' },
    ]);
    await db.destroy();
  });
});
