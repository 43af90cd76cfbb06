import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { EntityClass } from '@hop/db';

// Writes go through ConversionStore's SQL (upserts, ON CONFLICT); the entities serve reads.

@Entity({ name: 'customers' })
export class CustomerEntity {
  @PrimaryColumn({ type: 'uuid' })
  id: string;

  @Column({ type: 'uuid', name: 'workspace_id' })
  workspaceId: string;

  @Column({ type: 'text', name: 'external_id' })
  externalId: string;

  @Column({ type: 'text' })
  name: string;

  @Column({ type: 'text', nullable: true })
  email: string | null;

  @Column({ type: 'text', nullable: true })
  phone: string | null;

  @Column({ type: 'text', nullable: true })
  avatar: string | null;

  @Column({ type: 'timestamptz', name: 'created_at' })
  createdAt: Date;

  @Column({ type: 'timestamptz', name: 'updated_at' })
  updatedAt: Date;
}

/** The columns leads and sales share: who converted, through which click and link, and when. */
abstract class ConversionEventColumns {
  @PrimaryColumn({ type: 'uuid' })
  id: string;

  @Column({ type: 'uuid', name: 'workspace_id' })
  workspaceId: string;

  @Column({ type: 'uuid', name: 'customer_id' })
  customerId: string;

  @Column({ type: 'text', name: 'click_id' })
  clickId: string;

  @Column({ type: 'uuid', name: 'link_id' })
  linkId: string;

  @Column({ type: 'uuid', name: 'partner_id', nullable: true })
  partnerId: string | null;

  @Column({ type: 'text', name: 'event_name' })
  eventName: string;

  @Column({ type: 'jsonb', nullable: true })
  metadata: Record<string, unknown> | null;

  @Column({ type: 'timestamptz', name: 'created_at' })
  createdAt: Date;
}

@Entity({ name: 'leads' })
export class LeadEntity extends ConversionEventColumns {
  @Column({ type: 'bigint', insert: false, update: false })
  seq: string;
}

@Entity({ name: 'sales' })
export class SaleEntity extends ConversionEventColumns {
  @Column({ type: 'uuid', name: 'lead_id', nullable: true })
  leadId: string | null;

  /** Minor units; bigint comes back from pg as a string. */
  @Column({ type: 'bigint' })
  amount: string;

  @Column({ type: 'text' })
  currency: string;

  @Column({ type: 'text', name: 'idempotency_key', nullable: true })
  idempotencyKey: string | null;

  @Column({ type: 'text', name: 'request_fingerprint', nullable: true })
  requestFingerprint: string | null;

  /** The 201 body as first sent, returned again to a retry with the same idempotency key. */
  @Column({ type: 'jsonb' })
  response: Record<string, unknown>;
}

export const ENTITIES: EntityClass[] = [CustomerEntity, LeadEntity, SaleEntity];
