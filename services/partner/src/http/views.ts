import type { Partner } from '../domain/partner';

/** A partner exactly as the Hoko docs show it: every field present, null when empty. */
export const partnerView = (p: Partner) => ({
  id: p.id,
  name: p.name,
  email: p.email,
  phone: p.phone,
  createdAt: p.createdAt.toISOString(),
  updatedAt: p.updatedAt.toISOString(),
});
