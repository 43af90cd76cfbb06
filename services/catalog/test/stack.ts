import { Client } from 'pg';
import { TestInfra } from '@hop/testing';
import { loadCatalogConfig } from '../src/config';
import { start } from '../src/main';
import { collectEvents } from './kafka';

/**
 * The catalog service of one test file, with a SQL client on its database and a probe reading
 * catalog.v1; started before the file's tests and removed after them.
 */
export function catalogUnderTest() {
  const stack = { infra: new TestInfra() } as {
    infra: TestInfra;
    service: Awaited<ReturnType<typeof start>>;
    db: Client;
    kafkaProbe: Awaited<ReturnType<typeof collectEvents>>;
  };
  beforeAll(async () => {
    stack.service = await start(loadCatalogConfig(stack.infra.serviceEnv('catalog')));
    stack.db = new Client({ connectionString: stack.infra.databaseUrl('catalog') });
    await stack.db.connect();
    stack.kafkaProbe = await collectEvents(stack.infra, `${stack.infra.topicPrefix}catalog.v1`);
  });
  afterAll(async () => {
    await stack.kafkaProbe?.stop();
    await stack.db?.end();
    await stack.service?.close();
    await stack.infra.cleanup();
  });
  return stack;
}
