import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { Firm } from './firm.entity';

/** What a key may do: ADMIN ⊃ CONSULTANT ⊃ VIEWER. */
import type { ApiKeyRole } from '../../graphql/principal';

export type { ApiKeyRole };

/** An API key of a firm, stored only as a SHA-256 hash with a short visible prefix. */
@Entity('api_key')
export class ApiKey {
  @PrimaryColumn('uuid', { name: 'firm_id' })
  firmId: string;

  @PrimaryColumn('uuid')
  id: string;

  @ManyToOne(() => Firm, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'firm_id' })
  firm?: Firm;

  @Column('varchar', { length: 100 })
  name: string;

  @Column('varchar', { length: 20 })
  role: ApiKeyRole;

  /** The first characters of the key, shown in lists so a person can tell keys apart. */
  @Column('varchar', { length: 32 })
  prefix: string;

  /** SHA-256 of the whole key, hex. */
  @Index('UQ_api_key_hash', { unique: true })
  @Column('char', { name: 'key_hash', length: 64 })
  keyHash: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @Column('timestamptz', { name: 'last_used_at', nullable: true })
  lastUsedAt: Date | null;

  @Column('timestamptz', { name: 'revoked_at', nullable: true })
  revokedAt: Date | null;
}
