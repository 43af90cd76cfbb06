import { SHORT_ID_ALPHABET, SHORT_ID_LENGTH, freshShortId, newShortId } from './short-id';
import { qrCodeUrlOf, shortUrlOf } from './short-urls';

describe('short urls', () => {
  it("builds Hoko's exact QR code URL format", () => {
    // The documented example, with hoko.to as SHORT_BASE_URL and abc123 as short id.
    expect(qrCodeUrlOf('https://hoko.to', 'abc123')).toBe(
      'https://hoko.to/qrcode?text=https%3A%2F%2Fhoko.to%2Fabc123%3Fqr%3D1&size=512&errorCorrection=H&foreground=000000&background=FFFFFF&margin=1&format=svg',
    );
    expect(shortUrlOf('https://hoko.to', 'abc123')).toBe('https://hoko.to/abc123');
  });

  it('short ids are 7 base62 characters', () => {
    expect(SHORT_ID_ALPHABET).toHaveLength(62);
    const ids = Array.from({ length: 2_000 }, newShortId);
    for (const id of ids) expect(id).toMatch(new RegExp(`^[0-9A-Za-z]{${SHORT_ID_LENGTH}}$`));
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('freshShortId never repeats an id already handed out', () => {
    const taken = new Set<string>();
    for (let i = 0; i < 1_000; i++) freshShortId(taken);
    expect(taken.size).toBe(1_000);
  });
});
