import { recentClickSchema, validateEventWithJoi } from '@hop/events';
import type { RecordedClick } from '../domain/click';
import { batchEnd, clickMessage, clickMessages, fromWire, recentClickRecord, toWire } from './click-message';

const click: RecordedClick = {
  clickId: 'V1StGXR8_Z5jdHi6B-myT',
  linkId: '6f1c1c3e-4f7b-4a51-9d2a-3b8b0f3c0a11',
  workspaceId: '0b0c1a56-8f5e-4c1a-9a47-2f3c4d5e6f70',
  shortId: 'abc',
  partnerId: null,
  tenantId: 't-1',
  externalId: null,
  destination: 'https://dest.example/?hoko_id=V1StGXR8_Z5jdHi6B-myT',
  referrer: 'https://ref.example/',
  userAgent: 'Mozilla/5.0',
  ipHash: 'h',
  country: 'DE',
  city: 'Berlin',
  qr: true,
  bot: false,
  visitorId: 'v',
  visitorSessionId: null,
  utm: { source: 'nl' },
  requestUtm: { campaign: 'spring' },
  trigger: 'qr',
  timestamp: '2030-01-01T00:00:00.000Z',
};

describe('click wire forms', () => {
  it('carries every field of a click to the sender thread and back, each to its own field', () => {
    // Every field a value no other field has, so that two fields read from each other's places
    // cannot go unnoticed.
    const distinct = Object.fromEntries(
      Object.entries(click).map(([field, value]) => [field, typeof value === 'boolean' ? value : typeof value === 'object' ? { [field]: field } : `${field}-value`]),
    ) as RecordedClick;
    expect(new Set(Object.values(distinct).map((value) => JSON.stringify(value))).size).toBe(Object.keys(click).length);
    // qr and bot both ways round: they are the two booleans
    for (const original of [click, distinct, { ...distinct, qr: false, bot: true }]) {
      const back = fromWire(structuredClone(toWire(original)));
      expect(back).toEqual(original);
      // the serialised event keeps the recorder's field order
      expect(Object.keys(back)).toEqual(Object.keys(original));
    }
  });

  it('keys the Kafka message by link and wraps the click in its click.recorded envelope', () => {
    const { key, value } = clickMessage(click);
    expect(key).toBe(click.linkId);
    expect(JSON.parse(value)).toEqual({ id: click.clickId, type: 'click.recorded', occurredAt: click.timestamp, workspaceId: click.workspaceId, data: click });
  });

  it('keeps only what attribution needs in the recent-click record', () => {
    const [key, value] = recentClickRecord(click);
    expect(key).toBe(`click:${click.clickId}`);
    expect(JSON.parse(value)).toEqual({
      clickId: click.clickId,
      linkId: click.linkId,
      workspaceId: click.workspaceId,
      partnerId: null,
      shortId: 'abc',
      tenantId: 't-1',
      externalId: null,
      timestamp: click.timestamp,
    });
  });

  it('cuts batches by count and by size, never to an empty batch', () => {
    const small = Array.from({ length: 5 }, () => ({ key: 'k', value: 'v' }));
    expect(batchEnd(small, 0, 3)).toBe(3);
    expect(batchEnd(small, 3, 3)).toBe(5);
    const huge = Array.from({ length: 3 }, () => ({ key: 'k', value: 'x'.repeat(500 * 1024) }));
    expect(batchEnd(huge, 0, Infinity)).toBe(1);
    expect(batchEnd(huge, 1, Infinity)).toBe(2);
  });

  it('sends events that the full contract (joi) accepts unchanged, and records the recent-click contract', () => {
    const event = JSON.parse(clickMessage(click).value);
    expect(validateEventWithJoi('clicks', structuredClone(event))).toEqual(event);
    const record = JSON.parse(recentClickRecord(click)[1]);
    expect(recentClickSchema.validate(record)).toEqual({ value: record });
  });

  it('leaves out a click whose event breaks the contract, and reports it', () => {
    const broken = { ...click, clickId: 'x'.repeat(65) };
    const rejected: string[] = [];
    const messages = clickMessages([broken, click], (c, err) => rejected.push(`${c.clickId.length} ${err.name}`));
    expect(messages).toEqual([clickMessage(click)]);
    expect(rejected).toEqual(['65 Error']);
    expect(() => clickMessage(broken)).toThrow(/invalid event for clicks.v1/);
  });

  it('checks only the first click of a batch when told to (production), every click by default', () => {
    const broken = { ...click, clickId: 'x'.repeat(65) };
    const rejectedIds = (batch: RecordedClick[], check?: 'every' | 'first-of-batch') => {
      const rejected: string[] = [];
      clickMessages(batch, (c) => rejected.push(c.clickId), check);
      return rejected;
    };
    expect(rejectedIds([click, broken])).toEqual([broken.clickId]);
    expect(rejectedIds([click, broken], 'every')).toEqual([broken.clickId]);
    expect(rejectedIds([click, broken], 'first-of-batch')).toEqual([]);
    expect(rejectedIds([broken, click], 'first-of-batch')).toEqual([broken.clickId]);
  });
});
