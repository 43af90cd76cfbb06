import type { DataSource, EntityManager } from 'typeorm';
import { queryRows } from '@hop/db';
import { enqueueEvents } from '@hop/events';
import type { ConversionAccess, ConversionStore as ConversionStorePort, CustomerFilter, NewSale, RecordedSale } from '../app/ports';
import type { Customer, CustomerProfile, Lead } from '../domain/model';

// Each statement's select list names its columns as the domain's fields, so its rows are the records.
const CUSTOMER_COLUMNS = `id, external_id AS "externalId", name, email, phone, avatar, created_at AS "createdAt", updated_at AS "updatedAt"`;
const LEAD_COLUMNS = `l.id, l.customer_id AS "customerId", l.click_id AS "clickId", l.link_id AS "linkId", l.partner_id AS "partnerId",
  l.event_name AS "eventName", l.metadata, l.created_at AS "createdAt"`;

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
    const [customer] = await queryRows<Customer>(
      this.manager,
      `INSERT INTO customers (id, workspace_id, external_id, name, email, avatar)
       VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (workspace_id, external_id) DO UPDATE SET
         name = EXCLUDED.name,
         email = ${NEW_EMAIL},
         avatar = ${NEW_AVATAR},
         updated_at = CASE
           WHEN (customers.name, customers.email, customers.avatar) IS DISTINCT FROM (EXCLUDED.name, ${NEW_EMAIL}, ${NEW_AVATAR})
           THEN now() ELSE customers.updated_at END
       RETURNING ${CUSTOMER_COLUMNS}`,
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
    return customer;
  }

  /** The most recent lead of the customer with that externalId (and event name, when given). */
  async latestLead(customerExternalId: string, eventName?: string): Promise<Lead | null> {
    const params: unknown[] = [this.workspaceId, customerExternalId];
    if (eventName !== undefined) params.push(eventName);
    const [lead] = await queryRows<Lead>(
      this.manager,
      `SELECT ${LEAD_COLUMNS} FROM leads l
       JOIN customers c ON c.id = l.customer_id AND c.workspace_id = l.workspace_id
       WHERE l.workspace_id = $1 AND c.external_id = $2${eventName !== undefined ? ' AND l.event_name = $3' : ''}
       ORDER BY l.created_at DESC, l.seq DESC
       LIMIT 1`,
      params,
    );
    return lead ?? null;
  }

  async insertLead(lead: Lead): Promise<void> {
    await queryRows(
      this.manager,
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
    const rows = await queryRows<{ id: string }>(
      this.manager,
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
    const [sale] = await queryRows<RecordedSale>(
      this.manager,
      `SELECT request_fingerprint AS "requestFingerprint", response FROM sales WHERE workspace_id = $1 AND idempotency_key = $2`,
      [this.workspaceId, idempotencyKey],
    );
    return sale ?? null;
  }

  async listCustomers(filter: CustomerFilter): Promise<[Customer[], number]> {
    const params: unknown[] = [this.workspaceId];
    let where = 'workspace_id = $1';
    if (filter.ids) {
      params.push(filter.ids);
      where += ` AND id = ANY($${params.length}::uuid[])`;
    }
    if (filter.externalIds) {
      params.push(filter.externalIds);
      where += ` AND external_id = ANY($${params.length}::text[])`;
    }
    const direction = filter.sort === 'asc' ? 'ASC' : 'DESC';
    const [customers, [{ total }]] = await Promise.all([
      queryRows<Customer>(
        this.manager,
        `SELECT ${CUSTOMER_COLUMNS} FROM customers WHERE ${where}
         ORDER BY created_at ${direction}, id ${direction}
         LIMIT $${params.length + 1} OFFSET $${params.length + 2}`,
        [...params, filter.take, filter.skip],
      ),
      queryRows<{ total: number }>(this.manager, `SELECT count(*)::int AS total FROM customers WHERE ${where}`, params),
    ]);
    return [customers, total];
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
