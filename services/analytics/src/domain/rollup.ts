import type { Click } from './click';

/**
 * Rollups: per-hour counters kept up to date at ingest, so reports never scan raw clicks.
 *
 * Workspace rollups: one row per (workspace, dimension, hour, value, bot) for every dimension
 * (few distinct values per hour: they compress well), and per day for `link` and `partner` (top
 * links/partners; see DAILY_DIMENSIONS).
 * Link rollups: one row per (link, partner, hour, bot) with its totals and a JSON breakdown by
 * every other dimension. One row per link-hour whatever the number of values, so the long tail of
 * rarely clicked links costs one row per click at most. Reports filtered by linkId and/or
 * partnerId read them. Bot clicks get their own rows (bot = true): excluded by default.
 */
export const ZERO_ID = '00000000-0000-0000-0000-000000000000';

export const BREAKDOWNS = [
  'country',
  'city',
  'device',
  'browser',
  'os',
  'referrer',
  'utm_source',
  'utm_medium',
  'utm_campaign',
  'trigger',
] as const;
export type Breakdown = (typeof BREAKDOWNS)[number];
/** `count` (value '') holds the totals; timeseries read it bucket by bucket. */
export type Dimension = 'count' | Breakdown | 'link' | 'partner';

export const HOUR_MS = 3_600_000;
export const DAY_MS = 24 * HOUR_MS;
export const floorHour = (d: Date) => new Date(Math.floor(d.getTime() / HOUR_MS) * HOUR_MS);
/**
 * Workspace rows of these dimensions are per UTC day: they have one value per link or partner,
 * too many for hourly rows; the partial days at the ends of a range come from the link rollups.
 */
export const DAILY_DIMENSIONS: ReadonlySet<Dimension> = new Set(['link', 'partner']);

/** What rollups need to know about a click (a stored click's columns). */
export type ClickAttributes = Pick<
  Click,
  'workspaceId' | 'linkId' | 'partnerId' | 'bot' | 'countryCode' | 'city' | 'deviceType' | 'browserName' | 'osName' | 'referrer' | 'utm' | 'trigger'
>;

export interface Metrics {
  clicks: number;
  leads: number;
  sales: number;
  revenue: number;
}

export interface WorkspaceRollupRow extends Metrics {
  workspaceId: string;
  dimension: Dimension;
  bucket: Date;
  value: string;
  bot: boolean;
}

/** [clicks, leads, sales, revenue] of one value. */
export type Counts = [number, number, number, number];
/** Maps, not objects: values are visitor-controlled (UTM tags, referrers), "__proto__" included. */
export type LinkBreakdown = Map<Breakdown, Map<string, Counts>>;
/** The JSON form stored in link rollups: a value with clicks only is just its number of clicks (keeps rows small). */
export type StoredCounts = number | Counts;
export type StoredBreakdown = Partial<Record<Breakdown, Record<string, StoredCounts>>>;

export interface LinkRollupRow extends Metrics {
  workspaceId: string;
  linkId: string;
  /** ZERO_ID for clicks without partner. */
  partnerId: string;
  bucket: Date;
  bot: boolean;
  breakdown: LinkBreakdown;
}

/** Referrers group by host ("https://www.google.com/search?q=x" → "google.com"); '' is direct traffic. */
export function referrerHost(referrer: string | null): string {
  if (!referrer) return '';
  try {
    return new URL(referrer).hostname.toLowerCase().replace(/^www\./, '');
  } catch {
    return referrer;
  }
}

/** A city is only meaningful with its country: the value is "US|New York". */
const cityValue = (countryCode: string | null, city: string | null) => (city ? `${countryCode ?? ''}|${city}` : '');

/** Longest value a rollup keeps: values are indexed, and visitor-controlled (UTM tags, referrers). */
export const MAX_VALUE_LENGTH = 200;
const capped = (v: string | null | undefined) => (v ? v.slice(0, MAX_VALUE_LENGTH) : '');

export function breakdownValues(c: ClickAttributes): Record<Breakdown, string> {
  return {
    country: capped(c.countryCode),
    city: capped(cityValue(c.countryCode, c.city)),
    device: capped(c.deviceType),
    browser: capped(c.browserName),
    os: capped(c.osName),
    referrer: capped(referrerHost(c.referrer)),
    utm_source: capped(c.utm?.source),
    utm_medium: capped(c.utm?.medium),
    utm_campaign: capped(c.utm?.campaign),
    trigger: capped(c.trigger),
  };
}

export interface Fact {
  click: ClickAttributes;
  /** When it happened: the click's time, or the conversion's. */
  at: Date;
  metrics: Metrics;
}

function child<K, V>(map: Map<K, V>, key: K, create: () => V): V {
  let value = map.get(key);
  if (value === undefined) map.set(key, (value = create()));
  return value;
}

const addMetrics = (target: Metrics, m: Metrics) => {
  target.clicks += m.clicks;
  target.leads += m.leads;
  target.sales += m.sales;
  target.revenue += m.revenue;
};
function addCounts(into: LinkBreakdown, dimension: Breakdown, value: string, counts: StoredCounts): void {
  const values = child(into, dimension, () => new Map<string, Counts>());
  const c = child(values, value, (): Counts => [0, 0, 0, 0]);
  if (typeof counts === 'number') c[0] += counts;
  else for (let i = 0; i < 4; i++) c[i] += counts[i];
}

/** The value-by-value sum of a stored breakdown (parsed JSON) and a batch's increments. */
export function mergeBreakdowns(stored: StoredBreakdown, delta: LinkBreakdown): LinkBreakdown {
  const sum: LinkBreakdown = new Map();
  for (const [dimension, values] of Object.entries(stored) as [Breakdown, Record<string, StoredCounts>][]) {
    for (const [value, counts] of Object.entries(values)) addCounts(sum, dimension, value, counts);
  }
  for (const [dimension, values] of delta) for (const [value, counts] of values) addCounts(sum, dimension, value, counts);
  return sum;
}

/** The stored JSON text of a breakdown (written directly: this runs for every link of every batch). */
export function breakdownJson(breakdown: LinkBreakdown): string {
  const dimensions: string[] = [];
  for (const [dimension, values] of breakdown) {
    const entries: string[] = [];
    for (const [value, c] of values) entries.push(`${JSON.stringify(value)}:${c[1] || c[2] || c[3] ? `[${c.join(',')}]` : c[0]}`);
    dimensions.push(`"${dimension}":{${entries.join(',')}}`);
  }
  return `{${dimensions.join(',')}}`;
}

const sortedValues = <T>(map: Map<string, T>): T[] => [...map.keys()].sort().map((k) => map.get(k)!);

/**
 * The rollup increments for a set of facts, summed per row and sorted by key so that concurrent
 * transactions lock rows in the same order (no deadlocks between consumers). Runs for every click
 * of every batch: rows are found through nested maps (workspace/hour/bot, then dimension, then
 * value) so no key string is built per dimension.
 */
export function rollupRows(facts: Fact[]): { workspace: WorkspaceRollupRow[]; links: LinkRollupRow[] } {
  const workspace = new Map<string, Map<Dimension, Map<string, WorkspaceRollupRow>>>();
  const links = new Map<string, Map<string, LinkRollupRow>>();
  const buckets = new Map<number, Date>();
  const bucketOf = (ms: number) => child(buckets, ms, () => new Date(ms));
  for (const { click, at, metrics } of facts) {
    const hour = Math.floor(at.getTime() / HOUR_MS) * HOUR_MS;
    const day = Math.floor(hour / DAY_MS) * DAY_MS;
    const bot = click.bot ? 1 : 0;
    const hourly = child(workspace, `${click.workspaceId}|${hour}|${bot}`, () => new Map<Dimension, Map<string, WorkspaceRollupRow>>());
    const daily = child(workspace, `${click.workspaceId}|${day}|${bot}`, () => new Map<Dimension, Map<string, WorkspaceRollupRow>>());
    const addWorkspace = (dimension: Dimension, value: string) => {
      const isDaily = DAILY_DIMENSIONS.has(dimension);
      const rows = child(isDaily ? daily : hourly, dimension, () => new Map<string, WorkspaceRollupRow>());
      const row = rows.get(value);
      if (row) addMetrics(row, metrics);
      else rows.set(value, { workspaceId: click.workspaceId, dimension, bucket: bucketOf(isDaily ? day : hour), value, bot: click.bot, ...metrics });
    };
    const values = breakdownValues(click);
    addWorkspace('count', '');
    addWorkspace('link', click.linkId);
    if (click.partnerId) addWorkspace('partner', click.partnerId);
    for (const dimension of BREAKDOWNS) addWorkspace(dimension, values[dimension]);

    const partnerId = click.partnerId ?? ZERO_ID;
    const link = child(child(links, `${click.workspaceId}|${hour}|${bot}`, () => new Map<string, LinkRollupRow>()), `${click.linkId}|${partnerId}`, (): LinkRollupRow => ({
      workspaceId: click.workspaceId,
      linkId: click.linkId,
      partnerId,
      bucket: bucketOf(hour),
      bot: click.bot,
      clicks: 0,
      leads: 0,
      sales: 0,
      revenue: 0,
      breakdown: new Map<Breakdown, Map<string, Counts>>(),
    }));
    addMetrics(link, metrics);
    const counts: Counts = [metrics.clicks, metrics.leads, metrics.sales, metrics.revenue];
    for (const dimension of BREAKDOWNS) addCounts(link.breakdown, dimension, values[dimension], counts);
  }
  return {
    workspace: sortedValues(workspace).flatMap((dimensions) =>
      [...dimensions.keys()].sort().flatMap((dimension) => sortedValues(dimensions.get(dimension)!)),
    ),
    links: sortedValues(links).flatMap(sortedValues),
  };
}
