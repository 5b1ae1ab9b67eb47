import { Entity, PrimaryColumn } from 'typeorm';
import { JsonColumn, TimestampColumn } from '../database/columns.js';

@Entity('roles')
export class Role {
  @PrimaryColumn({ type: 'varchar', length: 64 })
  name!: string;

  @JsonColumn()
  permissions!: string[];

  @TimestampColumn({ name: 'created_at' })
  createdAt!: Date;

  @TimestampColumn({ name: 'updated_at' })
  updatedAt!: Date;
}
