/** What an openapi-fetch call of a list endpoint resolves to. */
export interface ListResult<T> {
  data?: T[];
  error?: unknown;
  response: Response;
}

/** A failed call of Hop's API, with its status and error body. */
export class HopApiError extends Error {
  constructor(
    readonly status: number,
    readonly body: unknown,
  ) {
    super(`Hop API answered ${status}: ${JSON.stringify(body)}`);
    this.name = 'HopApiError';
  }
}

/** The data of a call, or a HopApiError with the status and error body when it failed. */
export function unwrap<T>(result: { data?: T; error?: unknown; response: Response }): T {
  if (result.data === undefined) throw new HopApiError(result.response.status, result.error);
  return result.data;
}

/** The page size the paging helpers ask for by default (the API's maximum is 10,000). */
export const DEFAULT_PAGE_SIZE = 100;

/**
 * Every page of a list endpoint, fetched with `take`/`skip` until the total in X-Total-Count is
 * reached. `fetchPage` makes the call for one page, e.g.
 * `({ take, skip }) => hop.GET('/api/links', { params: { query: { take, skip } } })`.
 */
export async function* pages<T>(fetchPage: (page: { take: number; skip: number }) => Promise<ListResult<T>>, pageSize = DEFAULT_PAGE_SIZE): AsyncGenerator<T[]> {
  for (let skip = 0; ; skip += pageSize) {
    const result = await fetchPage({ take: pageSize, skip });
    const data = unwrap(result);
    if (data.length) yield data;
    const total = Number(result.response.headers.get('x-total-count'));
    if (data.length < pageSize || !Number.isFinite(total) || skip + data.length >= total) return;
  }
}

/** Every item of a list endpoint (see `pages`). */
export async function listAll<T>(fetchPage: (page: { take: number; skip: number }) => Promise<ListResult<T>>, pageSize = DEFAULT_PAGE_SIZE): Promise<T[]> {
  const items: T[] = [];
  for await (const page of pages(fetchPage, pageSize)) items.push(...page);
  return items;
}
