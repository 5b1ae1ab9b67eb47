import { describe, expect, it } from 'vitest';
import type { AppConfig } from '../config/app.config.js';
import { Metrics } from '../metrics/metrics.service.js';
import { MemoryAttemptStore } from './attempt-store.js';
import { LoginThrottle } from './login-throttle.service.js';
import type { SignInSources, SourceRef } from './sign-in-sources.service.js';

/** Sign-in sources in memory: what the database table answers. */
class KnownSources {
  readonly known = new Set<string>();
  async anyKnown(account: string, refs: readonly SourceRef[]): Promise<boolean> {
    return refs.some((ref) => this.known.has(`${account}|${ref.kind}|${ref.value}`));
  }
  async remember(account: string, refs: readonly SourceRef[]): Promise<void> {
    for (const ref of refs) this.known.add(`${account}|${ref.kind}|${ref.value}`);
  }
}

const THRESHOLD = 2;
function throttle() {
  const sources = new KnownSources();
  const config = { loginFailuresBeforeLockout: THRESHOLD } as AppConfig;
  return { sources, throttle: new LoginThrottle(new MemoryAttemptStore(), config, new Metrics(), sources as unknown as SignInSources) };
}
const refused = (promise: Promise<unknown>) => expect(promise).rejects.toMatchObject({ error: 'temporarily_unavailable' });

describe('LoginThrottle', () => {
  it('locks an (account, address) pair, never the account from another address', async () => {
    const { throttle: t } = throttle();
    const attacker = { account: 'alice', address: '203.0.113.9' };
    for (let i = 0; i < THRESHOLD; i++) await t.recordSignInFailure(attacker, true);
    await refused(t.assertSignInAllowed(attacker));
    await expect(t.assertSignInAllowed({ account: 'alice', address: '198.51.100.1' })).resolves.toBeUndefined();
  });

  it('past the hourly cap refuses sources that never signed in, and lets a known one through', async () => {
    const { throttle: t } = throttle();
    await t.recordSignInSuccess({ account: 'alice', address: '198.51.100.1' });
    let locks: unknown[] = [];
    for (let i = 0; i < 20 * THRESHOLD; i++) locks = await t.recordSignInFailure({ account: 'alice', address: `203.0.113.${i}` }, true);
    expect(locks).toEqual([{ subject: 'account_cap', until: expect.any(Number) }]);
    await refused(t.assertSignInAllowed({ account: 'alice', address: '192.0.2.1' }));
    await expect(t.assertSignInAllowed({ account: 'alice', address: '198.51.100.1' })).resolves.toBeUndefined();
    // A device cookie (issue 14) that signed in before counts like an address.
    await t.recordSignInSuccess({ account: 'alice', address: '198.51.100.2', device: 'device-1' });
    await expect(t.assertSignInAllowed({ account: 'alice', address: '192.0.2.2', device: 'device-1' })).resolves.toBeUndefined();
  });

  it('counts the cap only for accounts that exist', async () => {
    const { throttle: t } = throttle();
    for (let i = 0; i < 40 * THRESHOLD; i++) await t.recordSignInFailure({ account: 'made-up', address: `203.0.113.${i}` }, false);
    await expect(t.assertSignInAllowed({ account: 'made-up', address: '192.0.2.1' })).resolves.toBeUndefined();
  });

  it('counts client failures per (client, address) only', async () => {
    const { throttle: t } = throttle();
    for (let i = 0; i < 4 * THRESHOLD; i++) await t.recordClientFailure('client-1', '203.0.113.9');
    await refused(t.assertClientAllowed('client-1', '203.0.113.9'));
    await expect(t.assertClientAllowed('client-1', '198.51.100.1')).resolves.toBeUndefined();
  });
});
