import { describe, expect, it } from 'vitest';
import { parseServerEvents } from './live-stream';

describe('parseServerEvents', () => {
  it('reads complete events, skips comments and keeps an unfinished one for the next chunk', () => {
    const { events, rest } = parseServerEvents('retry: 2000\n\n: ping\n\nevent: click\nid: c1\ndata: {"a":1}\n\nevent: click\nid: c2\nda');
    expect(events).toEqual([{ event: 'click', id: 'c1', data: '{"a":1}' }]);
    expect(rest).toBe('event: click\nid: c2\nda');
    expect(parseServerEvents(`${rest}ta: {"b":2}\n\n`).events).toEqual([{ event: 'click', id: 'c2', data: '{"b":2}' }]);
  });

  it('joins multi-line data and accepts CRLF line ends', () => {
    expect(parseServerEvents('data: one\r\ndata:two\r\n\r\n').events).toEqual([{ event: 'message', id: '', data: 'one\ntwo' }]);
  });
});
