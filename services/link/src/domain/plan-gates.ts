import type { LinkChanges } from './link';

/** Plan features (the gateway's x-hop-features) that setting a field needs. */
export const FEATURE_OF_FIELD = {
  expiresAt: 'linkExpiration',
  expiredUrl: 'linkExpiration',
  password: 'passwordProtection',
  cloaked: 'linkCloaking',
  ios: 'deviceTargeting',
  android: 'deviceTargeting',
  geo: 'geoTargeting',
} as const satisfies Partial<Record<keyof LinkChanges, string>>;

type GatedField = keyof typeof FEATURE_OF_FIELD;

export interface GateViolation {
  index: number;
  field: GatedField;
  feature: string;
}

/** Clearing a field (null, false, {}) never needs the feature; setting a value does. */
function setsValue(field: GatedField, value: unknown): boolean {
  if (value === undefined || value === null) return false;
  if (field === 'cloaked') return value === true;
  if (field === 'geo') return Object.keys(value).length > 0;
  return true;
}

export function planGateViolations(items: LinkChanges[], features: readonly string[]): GateViolation[] {
  const available = new Set(features);
  const violations: GateViolation[] = [];
  items.forEach((item, index) => {
    for (const [field, feature] of Object.entries(FEATURE_OF_FIELD) as [GatedField, string][]) {
      if (!available.has(feature) && setsValue(field, item[field])) violations.push({ index, field, feature });
    }
  });
  return violations;
}
