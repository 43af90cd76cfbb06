import { TestInfra } from '@hop/testing';
import { closedPortUrl, startEchoUpstream, startGateway, type Echo, type EchoServer, type GatewayHarness } from './harness';

/** /app/*: the console's pages, streamed from CONSOLE_URL without authentication and without credentials. */
describe('gateway → console (/app)', () => {
  const infra = new TestInfra();
  let consoleSite: EchoServer;
  let gw: GatewayHarness;

  beforeAll(async () => {
    consoleSite = await startEchoUpstream('console');
    gw = await startGateway(infra, { CONSOLE_URL: consoleSite.url });
  });
  afterAll(async () => {
    await gw?.close();
    await consoleSite?.close();
    await infra.cleanup();
  });

  it('forwards /app and its sub-paths unchanged, without a session or key', async () => {
    for (const path of ['/app', '/app/links', '/app/assets/index-abc.js?v=1']) {
      const reply = await gw.call<Echo>('GET', path);
      expect([path, reply.status, reply.body.upstream, reply.body.url]).toEqual([path, 200, 'console', path]);
    }
  });

  it('drops the session cookie and the Authorization header, and adds no proof', async () => {
    const reply = await gw.call<Echo>('GET', '/app/links', { headers: { cookie: 'hop_session=secret-value', authorization: 'Bearer hop_secret' } });
    expect(reply.body.headers.cookie).toBeUndefined();
    expect(reply.body.headers.authorization).toBeUndefined();
    expect(reply.body.proofValid).toBe(false);
  });

  it('leaves paths that only start with "app" alone', async () => {
    expect((await gw.call('GET', '/apple')).status).toBe(404);
  });

  it('answers 503 in the Hoko shape when the console is down', async () => {
    const down = await startGateway(infra, { CONSOLE_URL: await closedPortUrl() });
    try {
      const reply = await down.call('GET', '/app');
      expect(reply.status).toBe(503);
      expect(reply.body.error.en).toEqual(expect.any(String));
      expect(reply.body.error.ar).toEqual(expect.any(String));
    } finally {
      await down.close();
    }
  });
});
