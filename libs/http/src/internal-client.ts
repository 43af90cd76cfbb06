import { DomainError } from '@hop/errors';
import { contextHeaders, signInternalRequest, type RequestContext } from './internal-proof';

export interface InternalClientOptions {
  baseUrl: string;
  secret: string;
  timeoutMs?: number;
}

/**
 * Service-to-service calls to /internal/* routes, signed like the gateway's requests.
 * An unreachable or failing peer becomes UPSTREAM_UNAVAILABLE; 404 resolves to null.
 */
export class InternalClient {
  constructor(private readonly options: InternalClientOptions) {}

  async request<T>(
    method: string,
    path: string,
    ctx: Partial<RequestContext>,
    body?: unknown,
  ): Promise<T | null> {
    const headers: Record<string, string> = { ...contextHeaders(ctx) };
    Object.assign(headers, signInternalRequest(this.options.secret, method, path, headers));
    if (body !== undefined) headers['content-type'] = 'application/json';
    let response: Response;
    try {
      response = await fetch(new URL(path, this.options.baseUrl), {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(this.options.timeoutMs ?? 5_000),
      });
    } catch {
      throw new DomainError('UPSTREAM_UNAVAILABLE');
    }
    if (response.status === 404) return null;
    if (!response.ok) throw new DomainError('UPSTREAM_UNAVAILABLE');
    // the timeout covers the body too: one cut off mid-read is the peer's failure as well (not a 500)
    try {
      return (await response.json()) as T;
    } catch {
      throw new DomainError('UPSTREAM_UNAVAILABLE');
    }
  }

  get<T>(path: string, ctx: Partial<RequestContext>) {
    return this.request<T>('GET', path, ctx);
  }

  post<T>(path: string, ctx: Partial<RequestContext>, body: unknown) {
    return this.request<T>('POST', path, ctx, body);
  }
}
