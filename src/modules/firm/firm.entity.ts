import { Column, CreateDateColumn, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';

/** A consulting firm: the tenant. Every tenant-owned row carries its id. */
@Entity('firm')
export class Firm {
  @PrimaryColumn('uuid')
  id: string;

  @Column('varchar', { length: 200 })
  name: string;

  /** Takes part in the shared, anonymous benchmark pool. */
  @Column('boolean', { name: 'shares_benchmarks', default: false })
  sharesBenchmarks: boolean;

  /** Web origins (normalised, e.g. `https://portal.example.com`) whose pages may call the API with this firm's keys. */
  @Column('text', { name: 'cors_origins', array: true, default: () => "'{}'" })
  corsOrigins: string[];

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
