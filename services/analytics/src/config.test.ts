import { loadAnalyticsConfig } from './config';

describe('loadAnalyticsConfig', () => {
  it('names consumer groups after the topic prefix unless told otherwise', () => {
    expect(loadAnalyticsConfig({ KAFKA_TOPIC_PREFIX: 'staging.' }).analytics).toMatchObject({
      clicksGroup: 'staging.analytics-clicks',
      conversionsGroup: 'staging.analytics-conversions',
      clickConsumers: 3,
      retentionMonths: 0,
    });
    expect(loadAnalyticsConfig({ CLICKS_CONSUMER_GROUP: 'g1' }).analytics.clicksGroup).toBe('g1');
    expect(loadAnalyticsConfig({}).server.port).toBe(4004);
  });

  it('refuses a bad value with the variable named', () => {
    expect(() => loadAnalyticsConfig({ CLICK_CONSUMERS: '0' })).toThrow(/CLICK_CONSUMERS/);
  });
});
