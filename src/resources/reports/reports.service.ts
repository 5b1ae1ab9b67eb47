import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { RefreshTokenFamily } from '../../auth/tokens/refresh-token-family.entity.js';
import { RefreshToken } from '../../auth/tokens/refresh-token.entity.js';
import { TokenIssuanceCount } from '../../auth/tokens/token-issuance-count.entity.js';
import { Client, CLIENT_STATUSES } from '../../clients/client.entity.js';
import { User } from '../../users/user.entity.js';
import type { ClientCountsDto, TokenIssuanceDto, UsageSummaryDto, UserCountsDto } from './dto/usage-summary.dto.js';

const HOUR_MS = 3_600_000;

/**
 * Read-only aggregates over tables other modules own. They are plain counts
 * through the shared DataSource, so this module depends on no other module's
 * services. pg returns COUNT and SUM as strings, hence every Number().
 */
@Injectable()
export class ReportsService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async summary(): Promise<UsageSummaryDto> {
    const now = Date.now();
    const [users, clients, families, issued] = await Promise.all([
      this.userCounts(),
      this.clientCounts(),
      this.activeFamilies(now),
      this.issuedSince(Math.floor(now / HOUR_MS) * HOUR_MS - 23 * HOUR_MS),
    ]);
    return {
      generated_at: new Date(now).toISOString(),
      users,
      clients,
      active_refresh_token_families: families,
      access_tokens_issued_24h: issued,
    };
  }

  private async userCounts(): Promise<UserCountsDto> {
    const row = await this.dataSource
      .createQueryBuilder(User, 'u')
      .select('COUNT(*)', 'total')
      .addSelect('COALESCE(SUM(CASE WHEN u.disabled THEN 1 ELSE 0 END), 0)', 'disabled')
      .getRawOne<{ total: string | number; disabled: string | number }>();
    return { total: Number(row?.total ?? 0), disabled: Number(row?.disabled ?? 0) };
  }

  private async clientCounts(): Promise<ClientCountsDto> {
    const rows = await this.dataSource
      .createQueryBuilder(Client, 'c')
      .select('c.status', 'status')
      .addSelect('COUNT(*)', 'count')
      .groupBy('c.status')
      .getRawMany<{ status: string; count: string | number }>();
    const counts = Object.fromEntries(CLIENT_STATUSES.map((status) => [status, 0])) as unknown as ClientCountsDto;
    for (const row of rows) {
      if ((CLIENT_STATUSES as readonly string[]).includes(row.status)) counts[row.status as keyof ClientCountsDto] = Number(row.count);
    }
    return counts;
  }

  /** A family is active while it could still be refreshed: it needs a token that is neither used, revoked nor idle-expired. */
  private async activeFamilies(now: number): Promise<number> {
    const row = await this.dataSource
      .createQueryBuilder(RefreshTokenFamily, 'f')
      .select('COUNT(*)', 'count')
      .where('f.revoked_at IS NULL')
      .andWhere('f.expires_at > :now', { now })
      .andWhere((qb) => {
        const live = qb
          .subQuery()
          .select('1')
          .from(RefreshToken, 't')
          .where('t.family_id = f.id')
          .andWhere('t.used_at IS NULL')
          .andWhere('t.revoked_at IS NULL')
          .andWhere('t.expires_at > :now')
          .getQuery();
        return `EXISTS ${live}`;
      })
      .getRawOne<{ count: string | number }>();
    return Number(row?.count ?? 0);
  }

  private async issuedSince(hourStart: number): Promise<TokenIssuanceDto> {
    const rows = await this.dataSource
      .createQueryBuilder(TokenIssuanceCount, 'c')
      .select('c.grant_type', 'grant_type')
      .addSelect('SUM(c.count)', 'count')
      .where('c.hour_start >= :hourStart', { hourStart })
      .groupBy('c.grant_type')
      .getRawMany<{ grant_type: string; count: string | number }>();
    const byGrantType = Object.fromEntries(rows.map((row): [string, number] => [row.grant_type, Number(row.count)]).sort());
    return { total: rows.reduce((sum, row) => sum + Number(row.count), 0), by_grant_type: byGrantType };
  }
}
