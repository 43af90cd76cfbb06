import { byWorkspace, decodeLiveClicks, encodeLiveClicks, matchesLiveFilter } from './live';
import { enrichClick } from './click';

const click = (workspaceId: string, over: { linkId?: string; partnerId?: string | null; bot?: boolean } = {}) =>
  enrichClick(workspaceId, { clickId: 'c', linkId: 'l1', shortId: 's', qr: false, bot: false, trigger: 'link', timestamp: '2024-05-01T10:00:00.000Z', ...over });

describe('live clicks', () => {
  it('leaves bots out unless asked, and narrows to a link or a partner', () => {
    expect(matchesLiveFilter(click('w', { bot: true }), { includeBots: false })).toBe(false);
    expect(matchesLiveFilter(click('w', { bot: true }), { includeBots: true })).toBe(true);
    expect(matchesLiveFilter(click('w'), { includeBots: false, linkId: 'l2' })).toBe(false);
    expect(matchesLiveFilter(click('w'), { includeBots: false, linkId: 'l1' })).toBe(true);
    expect(matchesLiveFilter(click('w', { partnerId: 'p1' }), { includeBots: false, partnerId: 'p2' })).toBe(false);
    expect(matchesLiveFilter(click('w', { partnerId: 'p1' }), { includeBots: false, partnerId: 'p1' })).toBe(true);
  });

  it('round-trips clicks through their wire form, dates included', () => {
    const sent = [click('w')];
    const received = decodeLiveClicks(encodeLiveClicks(sent));
    expect(received).toEqual(sent);
    expect(received[0].createdAt).toBeInstanceOf(Date);
  });

  it('groups a batch by workspace, keeping the order', () => {
    const [a1, b, a2] = [click('a', { linkId: '1' }), click('b'), click('a', { linkId: '2' })];
    expect([...byWorkspace([a1, b, a2])]).toEqual([
      ['a', [a1, a2]],
      ['b', [b]],
    ]);
  });
});
