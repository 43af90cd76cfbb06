/** Link features a plan may unlock; the link service enforces them from the x-hop-features header. */
export const LINK_FEATURES = [
  'linkExpiration',
  'passwordProtection',
  'linkCloaking',
  'deviceTargeting',
  'geoTargeting',
] as const;
export type LinkFeature = (typeof LINK_FEATURES)[number];

export const PLAN_NAMES = ['free', 'pro', 'business', 'enterprise'] as const;
export type PlanName = (typeof PLAN_NAMES)[number];

export interface Plan {
  requestsPerMinute: number;
  /** Most items one bulk request may carry. */
  bulkLimit: number;
  /** Most links a workspace may own; null = unlimited. */
  linkQuota: number | null;
  features: readonly LinkFeature[];
}

/** The one table of plans. */
export const PLANS: Readonly<Record<PlanName, Plan>> = {
  free: { requestsPerMinute: 60, bulkLimit: 100, linkQuota: 1_000, features: [] },
  pro: {
    requestsPerMinute: 600,
    bulkLimit: 1_000,
    linkQuota: 100_000,
    features: ['linkExpiration', 'passwordProtection'],
  },
  business: { requestsPerMinute: 1_200, bulkLimit: 10_000, linkQuota: 1_000_000, features: LINK_FEATURES },
  enterprise: { requestsPerMinute: 3_000, bulkLimit: 10_000, linkQuota: null, features: LINK_FEATURES },
};

export const isPlanName = (value: string): value is PlanName => (PLAN_NAMES as readonly string[]).includes(value);

/** A workspace's effective limits: its plan's, with the per-workspace request rate override when set. */
export function limitsOf(plan: PlanName, rateLimitOverride: number | null): Plan {
  const base = PLANS[plan];
  return rateLimitOverride ? { ...base, requestsPerMinute: rateLimitOverride } : base;
}
