import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * Access tokens issued, per hour and grant type. Counted in memory and flushed
 * now and then, so issuing a token never waits on a write of its own.
 */
@Entity('token_issuance_counts')
export class TokenIssuanceCount {
  /** Start of the hour, epoch milliseconds. */
  @PrimaryColumn({ name: 'hour_start', type: 'bigint' })
  hourStart!: string;

  @PrimaryColumn({ name: 'grant_type', type: 'varchar', length: 32 })
  grantType!: string;

  @Column({ type: 'integer', default: 0 })
  count!: number;
}
