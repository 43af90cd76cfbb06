import createClient, { type Client } from 'openapi-fetch';
import type { paths } from './generated/schema';

export type HopClient = Client<paths>;

export interface HopClientOptions {
  /** The gateway, e.g. `https://api.hop.example` (no trailing slash). */
  baseUrl: string;
  /** An API key (`hop_…`). */
  apiKey: string;
  /** How many times a 429 is retried after waiting its `retryAfter` (default 2; 0 turns retries off). */
  rateLimitRetries?: number;
  /** A 429 asking to wait longer than this many seconds is returned, not waited for (default 60). */
  maxRetryAfterSeconds?: number;
  /** The fetch to send requests with (default: the global fetch). */
  fetch?: (input: Request) => Promise<Response>;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Seconds a 429 asks to wait: the body's `retryAfter` (Hoko's shape), else the Retry-After header
 * (every API's shape); null when neither says.
 */
export async function retryAfterOf(response: Response): Promise<number | null> {
  const body: unknown = await response
    .clone()
    .json()
    .catch(() => null);
  if (body && typeof body === 'object' && 'retryAfter' in body && typeof body.retryAfter === 'number') return body.retryAfter;
  const header = Number(response.headers.get('retry-after'));
  return response.headers.has('retry-after') && Number.isFinite(header) ? header : null;
}

/** A fetch that answers a 429 by waiting the time it names and sending the request again. */
function retryingRateLimits(send: (input: Request) => Promise<Response>, retries: number, maxWaitSeconds: number) {
  return async (request: Request): Promise<Response> => {
    for (let attempt = 0; ; attempt++) {
      // a request's body can be read once: every attempt sends a copy
      const response = await send(request.clone());
      if (response.status !== 429 || attempt >= retries) return response;
      const wait = await retryAfterOf(response);
      if (wait === null || wait > maxWaitSeconds) return response;
      await response.body?.cancel();
      await sleep(wait * 1000);
    }
  };
}

/**
 * A typed client of Hop's API (every path, parameter and body of the OpenAPI document), sending
 * the API key as a Bearer token and retrying rate-limited requests after the time they name.
 */
export function createHopClient(options: HopClientOptions): HopClient {
  const send = options.fetch ?? ((input: Request) => fetch(input));
  return createClient<paths>({
    baseUrl: options.baseUrl,
    headers: { Authorization: `Bearer ${options.apiKey}` },
    fetch: retryingRateLimits(send, options.rateLimitRetries ?? 2, options.maxRetryAfterSeconds ?? 60),
  });
}
