import { randomUUID } from 'node:crypto';
import { DomainError } from '@hop/errors';
import { attributeSale } from '../domain/attribution';
import { displayKey, requestFingerprint, saleIdempotencyKey } from '../domain/idempotency';
import { customerSummary, type Caller, type CustomerFields } from '../domain/model';
import { attributionSources, linkOf } from './attribution-sources';
import type { ConversionPorts, ConversionStore } from './ports';
import { committed, enqueueConversion, upsertCustomer } from './record-conversion';

export interface TrackSaleInput extends CustomerFields {
  amount: number;
  currency: string;
  eventName: string;
  metadata?: Record<string, unknown> | null;
  leadEventName?: string;
  clickId?: string;
}

export interface SaleOutcome {
  body: Record<string, unknown>;
  /** True when an earlier sale with the same idempotency key answered (nothing was recorded). */
  replayed: boolean;
}

/** Thrown inside the transaction to roll it back when a concurrent retry recorded the sale first. */
class AlreadyRecorded extends Error {}

async function earlierSale(store: ConversionStore, key: string, fingerprint: string): Promise<SaleOutcome | null> {
  const sale = await store.findSale(key);
  if (!sale) return null;
  if (sale.requestFingerprint !== fingerprint) throw new DomainError('IDEMPOTENCY_KEY_REUSED', { params: { key: displayKey(key) } });
  return { body: sale.response, replayed: true };
}

/**
 * Records a sale, upserting its customer. With an idempotency key (header, or metadata.invoiceId)
 * a retry records nothing and gets the first response back, even when retries race.
 */
export async function trackSale(
  deps: ConversionPorts,
  caller: Caller,
  input: TrackSaleInput,
  idempotencyHeader?: string,
): Promise<SaleOutcome> {
  const reader = deps.store.read(caller.workspaceId);
  const key = saleIdempotencyKey(idempotencyHeader, input.metadata);
  const fingerprint = key ? requestFingerprint(input) : null;
  if (key && fingerprint) {
    const earlier = await earlierSale(reader, key, fingerprint);
    if (earlier) return earlier;
  }

  const attribution = await attributeSale(input, attributionSources(deps, caller, input.customerExternalId));
  const link = await linkOf(deps, caller, attribution);
  const metadata = input.metadata ?? null;
  const sale = { amount: input.amount, currency: input.currency, eventName: input.eventName, metadata };
  const at = new Date();
  try {
    const body = await deps.store.write(caller.workspaceId, async (store, outbox) => {
      const customer = await upsertCustomer(store, input);
      const body = { click: { id: attribution.clickId }, link, customer: customerSummary(customer), sale };
      const saleId = randomUUID();
      const inserted = await store.insertSale({
        ...sale,
        id: saleId,
        customerId: customer.id,
        leadId: attribution.leadId,
        clickId: attribution.clickId,
        linkId: attribution.linkId,
        partnerId: attribution.partnerId,
        idempotencyKey: key,
        requestFingerprint: fingerprint,
        response: body,
        createdAt: at,
      });
      if (!inserted) throw new AlreadyRecorded();
      await enqueueConversion(outbox, caller, { type: 'sale.created', saleId, customer, attribution, ...sale, at });
      return body;
    });
    committed(deps, 'sale');
    return { body, replayed: false };
  } catch (err) {
    if (err instanceof AlreadyRecorded && key && fingerprint) {
      const earlier = await earlierSale(reader, key, fingerprint);
      if (earlier) return earlier;
    }
    throw err;
  }
}
