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

  /** Origins (https://host[:port]) allowed to frame the respondent page, normalised. */
  @Column('text', { name: 'embed_origins', array: true, default: () => "'{}'" })
  embedOrigins: string[];

  /** The firm's colour on the respondent page (#rrggbb, lower case). */
  @Column('varchar', { name: 'brand_color', length: 7, nullable: true })
  brandColor: string | null;

  /** The logo's image bytes (PNG, JPEG or WebP), read only when served. */
  @Column('bytea', { name: 'logo', nullable: true, select: false })
  logo?: Buffer | null;

  @Column('varchar', { name: 'logo_content_type', length: 20, nullable: true })
  logoContentType: string | null;

  /** SHA-256 of the logo (hex): its URL changes with it, so it can be cached for ever. */
  @Column('varchar', { name: 'logo_sha256', length: 64, nullable: true })
  logoSha256: string | null;

  /** Web origins (normalised, e.g. `https://portal.example.com`) whose pages may call the API with this firm's keys. */
  @Column('text', { name: 'cors_origins', array: true, default: () => "'{}'" })
  corsOrigins: string[];

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
