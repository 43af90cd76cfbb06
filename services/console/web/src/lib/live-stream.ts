import { workspaceHeaders } from './client';

export interface ServerEvent {
  event: string;
  id: string;
  data: string;
}

/**
 * The complete events in `buffer` (text/event-stream: fields per line, a blank line ends an
 * event, lines starting with ':' are comments) and what is left for the next chunk.
 */
export function parseServerEvents(buffer: string): { events: ServerEvent[]; rest: string } {
  const normalized = buffer.replace(/\r\n?/g, '\n');
  const blocks = normalized.split('\n\n');
  const rest = blocks.pop() ?? '';
  const events: ServerEvent[] = [];
  for (const block of blocks) {
    const event: ServerEvent = { event: 'message', id: '', data: '' };
    const data: string[] = [];
    for (const line of block.split('\n')) {
      if (line === '' || line.startsWith(':')) continue;
      const colon = line.indexOf(':');
      const field = colon < 0 ? line : line.slice(0, colon);
      const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
      if (field === 'event') event.event = value;
      else if (field === 'id') event.id = value;
      else if (field === 'data') data.push(value);
    }
    if (data.length) events.push({ ...event, data: data.join('\n') });
  }
  return { events, rest };
}

export type LiveStatus = 'connecting' | 'open' | 'retrying';

const RETRY_MS = 2_000;

/**
 * Follows a server-sent event stream of the API until `signal` aborts, reconnecting 2 s after a
 * drop. fetch rather than EventSource: the session needs the X-Hop-Workspace header.
 */
export async function followServerEvents(path: string, onEvent: (event: ServerEvent) => void, onStatus: (status: LiveStatus) => void, signal: AbortSignal): Promise<void> {
  while (!signal.aborted) {
    try {
      const res = await fetch(path, { headers: { accept: 'text/event-stream', ...workspaceHeaders() }, credentials: 'same-origin', signal });
      if (!res.ok || !res.body) throw new Error(`live stream answered ${res.status}`);
      onStatus('open');
      const reader = res.body.getReader();
      const decoder = new TextDecoder();
      let buffer = '';
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        const parsed = parseServerEvents(buffer + decoder.decode(value, { stream: true }));
        buffer = parsed.rest;
        parsed.events.forEach(onEvent);
      }
    } catch (err) {
      if (signal.aborted) return;
      console.warn('live stream', err);
    }
    onStatus('retrying');
    await new Promise((resolve) => setTimeout(resolve, RETRY_MS));
  }
}
