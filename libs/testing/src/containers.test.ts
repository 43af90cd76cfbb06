import { chooseInfraMode, images } from './containers';

describe('test infrastructure choice', () => {
  it('obeys HOP_TEST_INFRA without probing for Docker', async () => {
    await expect(chooseInfraMode({ HOP_TEST_INFRA: 'local' })).resolves.toEqual({ mode: 'local' });
    await expect(chooseInfraMode({ HOP_TEST_INFRA: 'containers' })).resolves.toEqual({ mode: 'containers' });
  });

  it('names the accepted values when HOP_TEST_INFRA is something else', async () => {
    await expect(chooseInfraMode({ HOP_TEST_INFRA: 'docker' })).rejects.toThrow('HOP_TEST_INFRA must be "containers" or "local" (got "docker")');
  });

  it('uses the pinned official images unless HOP_*_IMAGE name others', () => {
    expect(images({})).toEqual({ postgres: 'postgres:15.8', redis: 'redis:7.4.1', kafka: 'apache/kafka:3.9.1' });
    expect(images({ HOP_POSTGRES_IMAGE: 'hop-infra/postgres:15', HOP_REDIS_IMAGE: 'hop-infra/redis:7', HOP_KAFKA_IMAGE: 'hop-infra/kafka:3.9' })).toEqual({
      postgres: 'hop-infra/postgres:15',
      redis: 'hop-infra/redis:7',
      kafka: 'hop-infra/kafka:3.9',
    });
  });
});
