import { type ExecutionContext, Injectable } from '@nestjs/common';
import { ThrottlerGuard, type ThrottlerLimitDetail } from '@nestjs/throttler';
import { OAuthError } from '../common/http/http-errors.js';

/**
 * RATE_LIMIT_PER_MINUTE per source address across all OAuth endpoints (one
 * budget, not one per endpoint), answered RFC 6749-style when exceeded.
 */
@Injectable()
export class OAuthThrottlerGuard extends ThrottlerGuard {
  protected override generateKey(_context: ExecutionContext, tracker: string, name: string): string {
    return `oauth:${name}:${tracker}`;
  }

  protected override async throwThrottlingException(_context: ExecutionContext, detail: ThrottlerLimitDetail): Promise<void> {
    const seconds = Math.max(1, Math.ceil(detail.timeToBlockExpire));
    throw new OAuthError('temporarily_unavailable', `Rate limit exceeded; retry after ${seconds} s`, 429, { 'Retry-After': String(seconds) });
  }
}
