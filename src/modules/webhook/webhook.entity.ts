import { Column, CreateDateColumn, Entity, Generated, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { Firm } from '../firm/firm.entity';

/** An HTTPS endpoint of a firm that receives signed events (docs/webhooks.md). */
@Entity('webhook_endpoint')
export class WebhookEndpoint {
  @PrimaryColumn('uuid', { name: 'firm_id' })
  firmId: string;

  @PrimaryColumn('uuid')
  id: string;

  @ManyToOne(() => Firm, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'firm_id' })
  firm?: Firm;

  @Column('varchar', { length: 2000 })
  url: string;

  @Column('varchar', { length: 200, default: '' })
  description: string;

  /** Event types sent to it, e.g. `assessment.closed`. */
  @Column('varchar', { length: 40, array: true })
  events: string[];

  @Column('boolean', { default: true })
  enabled: boolean;

  /**
   * The signing secret (`whsec_…`). Kept as it is, not hashed: every delivery is signed
   * with it (the receiver holds the same secret).
   */
  @Column('varchar', { length: 100 })
  secret: string;

  /** The secret before the last rotation; it signs too until `previousSecretExpiresAt`. */
  @Column('varchar', { name: 'previous_secret', length: 100, nullable: true })
  previousSecret: string | null;

  @Column('timestamptz', { name: 'previous_secret_expires_at', nullable: true })
  previousSecretExpiresAt: Date | null;

  @Column('timestamptz', { name: 'secret_rotated_at', nullable: true })
  secretRotatedAt: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @Column('timestamptz', { name: 'updated_at', default: () => 'now()' })
  updatedAt: Date;
}

/** One event of a firm, written in the transaction of the change it tells of (the outbox). */
@Entity('webhook_event')
export class WebhookEvent {
  @PrimaryColumn('uuid', { name: 'firm_id' })
  firmId: string;

  @PrimaryColumn('uuid')
  id: string;

  @ManyToOne(() => Firm, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'firm_id' })
  firm?: Firm;

  @Column('varchar', { length: 40 })
  type: string;

  @Column('timestamptz', { name: 'occurred_at' })
  occurredAt: Date;

  /** The exact JSON body every endpoint receives. */
  @Column('text')
  body: string;
}

/** One event to one endpoint: sent, retried, delivered or given up. */
@Entity('webhook_delivery')
@Index('IDX_webhook_delivery_pending', ['firmId', 'endpointId', 'seq'], { where: "status = 'PENDING'" })
@Index('IDX_webhook_delivery_endpoint', ['firmId', 'endpointId', 'createdAt'])
export class WebhookDelivery {
  @PrimaryColumn('uuid', { name: 'firm_id' })
  firmId: string;

  @PrimaryColumn('uuid')
  id: string;

  @Column('uuid', { name: 'endpoint_id' })
  endpointId: string;

  @ManyToOne(() => WebhookEndpoint, { onDelete: 'CASCADE' })
  @JoinColumn([
    { name: 'firm_id', referencedColumnName: 'firmId' },
    { name: 'endpoint_id', referencedColumnName: 'id' },
  ])
  endpoint?: WebhookEndpoint;

  @Column('uuid', { name: 'event_id' })
  eventId: string;

  @ManyToOne(() => WebhookEvent, { onDelete: 'CASCADE' })
  @JoinColumn([
    { name: 'firm_id', referencedColumnName: 'firmId' },
    { name: 'event_id', referencedColumnName: 'id' },
  ])
  event?: WebhookEvent;

  /** Order of the endpoint's deliveries: they are sent one at a time in this order. */
  @Column('bigint')
  @Generated('increment')
  seq: string;

  /** PENDING, DELIVERED or FAILED. */
  @Column('varchar', { length: 12 })
  status: string;

  @Column('integer', { name: 'attempt_count', default: 0 })
  attemptCount: number;

  @Column('timestamptz', { name: 'next_attempt_at', nullable: true })
  nextAttemptAt: Date | null;

  @Column('timestamptz', { name: 'delivered_at', nullable: true })
  deliveredAt: Date | null;

  /** The delivery this one repeats (a redelivery asked for by the firm). */
  @Column('uuid', { name: 'redelivery_of', nullable: true })
  redeliveryOf: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}

/** One HTTP attempt of a delivery, with what the receiver answered. */
@Entity('webhook_attempt')
export class WebhookAttempt {
  @PrimaryColumn('uuid', { name: 'firm_id' })
  firmId: string;

  @PrimaryColumn('uuid', { name: 'delivery_id' })
  deliveryId: string;

  @PrimaryColumn('integer')
  number: number;

  @ManyToOne(() => WebhookDelivery, { onDelete: 'CASCADE' })
  @JoinColumn([
    { name: 'firm_id', referencedColumnName: 'firmId' },
    { name: 'delivery_id', referencedColumnName: 'id' },
  ])
  delivery?: WebhookDelivery;

  @Column('timestamptz', { name: 'started_at' })
  startedAt: Date;

  @Column('integer', { name: 'duration_ms' })
  durationMs: number;

  @Column('integer', { name: 'status_code', nullable: true })
  statusCode: number | null;

  @Column('boolean')
  succeeded: boolean;

  @Column('varchar', { length: 500, nullable: true })
  error: string | null;

  /** The first KiB of the response body. */
  @Column('text', { name: 'response_excerpt', nullable: true })
  responseExcerpt: string | null;
}
