import { In, type DataSource, type EntityManager } from 'typeorm';
import { WorkspaceRepository } from '@hop/db';
import { enqueueEvents } from '@hop/events';
import type { ConversionAccess, ConversionStore as ConversionStorePort, CustomerFilter, NewSale, RecordedSale } from '../app/ports';
import type { Customer, CustomerProfile, Lead } from '../domain/model';
import { CustomerEntity, LeadEntity, SaleEntity } from './entities';

interface CustomerRow {
  id: string;
  external_id: string;
  name: string;
  email: string | null;
  phone: string | null;
  avatar: string | null;
  created_at: Date;
  updated_at: Date;
}

const customerFromRow = (r: CustomerRow): Customer => ({
  id: r.id,
  externalId: r.external_id,
  name: r.name,
  email: r.email,
  phone: r.phone,
  avatar: r.avatar,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

const customerFromEntity = (e: CustomerEntity): Customer => ({
  id: e.id,
  externalId: e.externalId,
  name: e.name,
  email: e.email,
  phone: e.phone,
  avatar: e.avatar,
  createdAt: e.createdAt,
  updatedAt: e.updatedAt,
});

const leadFromEntity = (e: LeadEntity): Lead => ({
  id: e.id,
  customerId: e.customerId,
  clickId: e.clickId,
  linkId: e.linkId,
  partnerId: e.partnerId,
  eventName: e.eventName,
  metadata: e.metadata,
  createdAt: e.createdAt,
});

// A given field replaces the stored value (null clears it); an absent one keeps it.
const KEEP_UNLESS_GIVEN = (column: string, flag: string) => `CASE WHEN ${flag}::boolean THEN EXCLUDED.${column} ELSE customers.${column} END`;
const NEW_EMAIL = KEEP_UNLESS_GIVEN('email', '$7');
const NEW_AVATAR = KEEP_UNLESS_GIVEN('avatar', '$8');

/**
 * Customers, leads and sales of one workspace: every query this class runs is scoped to
 * `workspaceId`. Pass the transaction's manager to write.
 */
export class ConversionStore implements ConversionStorePort {
  constructor(
    private readonly manager: EntityManager,
    readonly workspaceId: string,
  ) {
    if (!workspaceId) throw new Error('workspaceId is required');
  }

  /**
   * Creates the customer or updates it, in one statement: concurrent first events for a new
   * externalId make exactly one customer. updatedAt moves only when something changed.
   */
  async upsertCustomer(id: string, profile: CustomerProfile): Promise<Customer> {
    const rows: CustomerRow[] = await this.manager.query(
      `INSERT INTO customers (id, workspace_id, external_id, name, email, avatar)
       VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (workspace_id, external_id) DO UPDATE SET
         name = EXCLUDED.name,
         email = ${NEW_EMAIL},
         avatar = ${NEW_AVATAR},
         updated_at = CASE
           WHEN (customers.name, customers.email, customers.avatar) IS DISTINCT FROM (EXCLUDED.name, ${NEW_EMAIL}, ${NEW_AVATAR})
           THEN now() ELSE customers.updated_at END
       RETURNING id, external_id, name, email, phone, avatar, created_at, updated_at`,
      [
        id,
        this.workspaceId,
        profile.externalId,
        profile.name,
        profile.email ?? null,
        profile.avatar ?? null,
        profile.email !== undefined,
        profile.avatar !== undefined,
      ],
    );
    return customerFromRow(rows[0]);
  }

  /** The most recent lead of the customer with that externalId (and event name, when given). */
  async latestLead(customerExternalId: string, eventName?: string): Promise<Lead | null> {
    const query = WorkspaceRepository.of(this.manager, LeadEntity, this.workspaceId)
      .queryBuilder('l')
      .innerJoin(CustomerEntity, 'c', 'c.id = l.customerId AND c.workspaceId = l.workspaceId')
      .andWhere('c.externalId = :customerExternalId', { customerExternalId })
      .orderBy('l.createdAt', 'DESC')
      .addOrderBy('l.seq', 'DESC')
      .limit(1);
    if (eventName !== undefined) query.andWhere('l.eventName = :eventName', { eventName });
    const lead = await query.getOne();
    return lead ? leadFromEntity(lead) : null;
  }

  async insertLead(lead: Lead): Promise<void> {
    await this.manager.query(
      `INSERT INTO leads (id, workspace_id, customer_id, click_id, link_id, partner_id, event_name, metadata, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
      [
        lead.id,
        this.workspaceId,
        lead.customerId,
        lead.clickId,
        lead.linkId,
        lead.partnerId,
        lead.eventName,
        lead.metadata === null ? null : JSON.stringify(lead.metadata),
        lead.createdAt,
      ],
    );
  }

  /** Inserts the sale; false when a sale with its idempotency key already exists (nothing written). */
  async insertSale(sale: NewSale): Promise<boolean> {
    const rows: unknown[] = await this.manager.query(
      `INSERT INTO sales (id, workspace_id, customer_id, lead_id, click_id, link_id, partner_id, event_name, amount,
                          currency, metadata, idempotency_key, request_fingerprint, response, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)
       ON CONFLICT (workspace_id, idempotency_key) WHERE idempotency_key IS NOT NULL DO NOTHING
       RETURNING id`,
      [
        sale.id,
        this.workspaceId,
        sale.customerId,
        sale.leadId,
        sale.clickId,
        sale.linkId,
        sale.partnerId,
        sale.eventName,
        sale.amount,
        sale.currency,
        sale.metadata === null ? null : JSON.stringify(sale.metadata),
        sale.idempotencyKey,
        sale.requestFingerprint,
        JSON.stringify(sale.response),
        sale.createdAt,
      ],
    );
    return rows.length === 1;
  }

  async findSale(idempotencyKey: string): Promise<RecordedSale | null> {
    const sale = await WorkspaceRepository.of(this.manager, SaleEntity, this.workspaceId).findOneBy({ idempotencyKey });
    return sale ? { requestFingerprint: sale.requestFingerprint, response: sale.response } : null;
  }

  async listCustomers(filter: CustomerFilter): Promise<[Customer[], number]> {
    const [rows, total] = await WorkspaceRepository.of(this.manager, CustomerEntity, this.workspaceId).findAndCount({
      where: {
        ...(filter.ids ? { id: In(filter.ids) } : {}),
        ...(filter.externalIds ? { externalId: In(filter.externalIds) } : {}),
      },
      order: { createdAt: filter.sort, id: filter.sort },
      skip: filter.skip,
      take: filter.take,
    });
    return [rows.map(customerFromEntity), total];
  }
}

/** The workspace stores over the database; a write's events go to the outbox in its transaction. */
export const conversionAccess = (db: DataSource): ConversionAccess => ({
  read: (workspaceId) => new ConversionStore(db.manager, workspaceId),
  write: (workspaceId, work) =>
    db.transaction((manager) =>
      work(new ConversionStore(manager, workspaceId), { enqueue: (events, keyOf) => enqueueEvents(manager, 'conversions', events, keyOf) }),
    ),
});
