import { countryName } from './country';
import { HOUR_MS, floorHour, type Breakdown } from './rollup';

export const INTERVALS = ['24h', '7d', '30d', '90d', '1y', 'all'] as const;
export type Interval = (typeof INTERVALS)[number];
const INTERVAL_HOURS: Record<Exclude<Interval, 'all'>, number> = { '24h': 24, '7d': 7 * 24, '30d': 30 * 24, '90d': 90 * 24, '1y': 365 * 24 };

export const GRANULARITIES = ['hour', 'day', 'month'] as const;
export type Granularity = (typeof GRANULARITIES)[number];
/** Timeseries longer than this are refused: ask for a coarser granularity. */
export const MAX_POINTS = 10_000;

/** A breakdown groupBy: which rollup dimension it reads and how a row names its value. */
interface BreakdownReport {
  dimension: Breakdown | 'link' | 'partner';
  label: (value: string) => Record<string, string | null>;
}

const single = (field: string) => (value: string) => ({ [field]: value || null });

export const BREAKDOWN_REPORTS = {
  countries: { dimension: 'country', label: (v) => ({ countryCode: v || null, country: countryName(v) }) },
  cities: {
    dimension: 'city',
    label: (v) => {
      const [code, city] = v.split('|', 2);
      return { city: city || null, countryCode: code || null, country: countryName(code) };
    },
  },
  devices: { dimension: 'device', label: single('device') },
  browsers: { dimension: 'browser', label: single('browser') },
  os: { dimension: 'os', label: single('os') },
  referrers: { dimension: 'referrer', label: single('referrer') },
  top_links: { dimension: 'link', label: single('linkId') },
  top_partners: { dimension: 'partner', label: single('partnerId') },
  utm_sources: { dimension: 'utm_source', label: single('utmSource') },
  utm_mediums: { dimension: 'utm_medium', label: single('utmMedium') },
  utm_campaigns: { dimension: 'utm_campaign', label: single('utmCampaign') },
  triggers: { dimension: 'trigger', label: single('trigger') },
} satisfies Record<string, BreakdownReport>;

export type BreakdownGroupBy = keyof typeof BREAKDOWN_REPORTS;
export const GROUP_BYS = ['count', 'timeseries', ...(Object.keys(BREAKDOWN_REPORTS) as BreakdownGroupBy[])] as const;
export type GroupBy = (typeof GROUP_BYS)[number];

export const isBreakdown = (groupBy: GroupBy): groupBy is BreakdownGroupBy => groupBy in BREAKDOWN_REPORTS;

export interface ReportFilters {
  linkId?: string;
  partnerId?: string;
  includeBots: boolean;
}

/** Whole hours [from, to); `from` null means "since the workspace's first click". */
export interface HourRange {
  from: Date | null;
  to: Date;
}

/**
 * The hours a report covers. Rollups are hourly, so explicit dates are widened to whole hours:
 * startDate's hour and endDate's hour are both included.
 */
export function reportHours(
  options: { interval?: Interval; startDate?: Date; endDate?: Date },
  now: Date,
): HourRange {
  const currentHourEnd = new Date(floorHour(now).getTime() + HOUR_MS);
  if (options.startDate || options.endDate) {
    return {
      from: options.startDate ? floorHour(options.startDate) : null,
      to: options.endDate ? new Date(floorHour(options.endDate).getTime() + HOUR_MS) : currentHourEnd,
    };
  }
  const interval = options.interval ?? '24h';
  if (interval === 'all') return { from: null, to: currentHourEnd };
  return { from: new Date(currentHourEnd.getTime() - INTERVAL_HOURS[interval] * HOUR_MS), to: currentHourEnd };
}

/** hour up to 2 days, day up to ~3 months, month beyond. */
export function defaultGranularity(from: Date, to: Date): Granularity {
  const hours = (to.getTime() - from.getTime()) / HOUR_MS;
  if (hours <= 48) return 'hour';
  if (hours <= 92 * 24) return 'day';
  return 'month';
}

const APPROX_HOURS: Record<Granularity, number> = { hour: 1, day: 24, month: 28 * 24 };

export const estimatedPoints = (from: Date, to: Date, granularity: Granularity) =>
  Math.ceil((to.getTime() - from.getTime()) / (APPROX_HOURS[granularity] * HOUR_MS));

/** A range [from, to) cut into whole units (hours, days) and the partial units at its ends. */
export interface SplitRange {
  /** Whole units, [from, to); null when the range holds none. An open end stays open. */
  whole: { from: Date | null; to: Date | null } | null;
  /** Partial units at the edges, [from, to) each. */
  edges: { from: Date | null; to: Date | null }[];
}

/**
 * Splits [from, to) (either end open) into whole `unitMs` units and the partial ones at its ends:
 * exact counts read the whole units from coarse rollups and only the edges from finer rows.
 */
export function splitRange(from: Date | null, to: Date | null, unitMs: number): SplitRange {
  const floor = (d: Date) => new Date(Math.floor(d.getTime() / unitMs) * unitMs);
  const ceil = (d: Date) => new Date(Math.ceil(d.getTime() / unitMs) * unitMs);
  const wholeFrom = from ? ceil(from) : null;
  const wholeTo = to ? floor(to) : null;
  if (wholeFrom && wholeTo && wholeFrom >= wholeTo) return { whole: null, edges: [{ from, to }] };
  const edges: SplitRange['edges'] = [];
  if (from && wholeFrom && from < wholeFrom) edges.push({ from, to: wholeFrom });
  if (to && wholeTo && wholeTo < to) edges.push({ from: wholeTo, to });
  return { whole: { from: wholeFrom, to: wholeTo }, edges };
}
