import { describe, expect, it } from 'vitest';
import { resolveOptions } from './options.js';

const base = { issuer: 'https://auth.example/', clientId: 'orders-api', clientSecret: 'secret' };

describe('resolveOptions', () => {
  it('fills the defaults: audience and events URL from the issuer (trailing slash dropped), fail-closed after 30 s', () => {
    const options = resolveOptions(base);
    expect(options).toMatchObject({
      issuer: 'https://auth.example',
      audience: 'https://auth.example',
      realm: 'gatehouse',
      clockToleranceSeconds: 30,
      algorithms: ['ES256', 'RS256'],
      events: { url: 'https://auth.example/events', scope: 'events:subscribe', maxOutageSeconds: 30, onOutage: 'fail-closed' },
    });
  });

  it.each([
    ['no issuer', { ...base, issuer: '' }, /issuer is required/],
    ['an issuer that is not http(s)', { ...base, issuer: 'ftp://auth.example' }, /issuer must be an http\(s\) URL/],
    ['no client id', { ...base, clientId: '' }, /clientId is required/],
    ['no client secret', { ...base, clientSecret: undefined as unknown as string }, /clientSecret is required/],
    ['an unknown outage policy', { ...base, events: { onOutage: 'allow' as 'introspect' } }, /onOutage/],
    ['a negative bound', { ...base, events: { maxOutageSeconds: -1 } }, /maxOutageSeconds/],
    ['a bound that is not a number', { ...base, clockToleranceSeconds: Number.NaN }, /clockToleranceSeconds/],
  ])('refuses %s with a clear message', (_case, options, message) => {
    expect(() => resolveOptions(options)).toThrow(message);
  });
});
