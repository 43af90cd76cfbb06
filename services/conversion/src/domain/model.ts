/** Who is calling: every lookup and write is scoped to this workspace. */
export interface Caller {
  workspaceId: string;
  requestId?: string;
}

/** The click a conversion is credited to. */
export interface ClickRef {
  clickId: string;
  linkId: string;
  partnerId: string | null;
}

export interface Customer {
  id: string;
  externalId: string;
  name: string;
  email: string | null;
  phone: string | null;
  avatar: string | null;
  createdAt: Date;
  updatedAt: Date;
}

/**
 * What a tracking call says about its customer. `email`/`avatar`: undefined keeps the stored
 * value, null clears it.
 */
export interface CustomerProfile {
  externalId: string;
  name: string;
  email?: string | null;
  avatar?: string | null;
}

/** The customer fields every tracking body carries. */
export interface CustomerFields {
  customerExternalId: string;
  customerName: string;
  customerEmail?: string | null;
  customerAvatar?: string | null;
}

export const profileOf = (input: CustomerFields): CustomerProfile => ({
  externalId: input.customerExternalId,
  name: input.customerName,
  email: input.customerEmail,
  avatar: input.customerAvatar,
});

export interface Lead extends ClickRef {
  id: string;
  customerId: string;
  eventName: string;
  metadata: Record<string, unknown> | null;
  createdAt: Date;
}

/** The link object exactly as the Links API returns it (owned by the link service). */
export type LinkObject = Record<string, unknown>;

/** The customer as tracking responses show it. */
export const customerSummary = (c: Customer) => ({
  id: c.id,
  name: c.name,
  email: c.email,
  phone: c.phone,
  avatar: c.avatar,
  externalId: c.externalId,
});

/** The customer as GET /api/customers lists it. */
export const customerListItem = (c: Customer) => ({
  id: c.id,
  externalId: c.externalId,
  name: c.name,
  email: c.email,
  phone: c.phone,
  avatar: c.avatar,
  createdAt: c.createdAt.toISOString(),
  updatedAt: c.updatedAt.toISOString(),
});

/** Serialised metadata above this size is refused: it travels in every event and response. */
export const MAX_METADATA_BYTES = 10 * 1024;

export const serialisedSize = (value: unknown) => Buffer.byteLength(JSON.stringify(value ?? null), 'utf8');
