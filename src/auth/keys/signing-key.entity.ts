import { Column, Entity, PrimaryColumn } from 'typeorm';
import { JsonColumn, TimestampColumn } from '../../database/columns.js';

export type SigningKeyStatus = 'active' | 'retired';

/** Kept in the database so every instance signs and verifies with the same key set. */
@Entity('signing_keys')
export class SigningKey {
  @PrimaryColumn({ type: 'varchar', length: 64 })
  kid!: string;

  @Column({ type: 'varchar', length: 8 })
  alg!: string;

  @JsonColumn({ name: 'public_jwk' })
  publicJwk!: Record<string, unknown>;

  /** `enc:v1:…`: the PKCS#8 PEM sealed with AES-256-GCM (see ServerKeys). A PEM in clear only from an older version, sealed at start. */
  @Column({ name: 'private_key', type: 'text' })
  privateKey!: string;

  @Column({ type: 'varchar', length: 16 })
  status!: SigningKeyStatus;

  @TimestampColumn({ name: 'created_at' })
  createdAt!: Date;

  @TimestampColumn({ name: 'retired_at', nullable: true })
  retiredAt!: Date | null;
}
