import { describe, expect, it } from 'vitest';
import { OAuthParams } from './oauth-params.js';

const invalidRequest = expect.objectContaining({ error: 'invalid_request' });

describe('OAuthParams: the parameters of an OAuth request body', () => {
  it('reads a string parameter, and treats an absent or empty one as omitted (RFC 6749 §3.1)', () => {
    const params = OAuthParams.from({ grant_type: 'password', scope: '' });
    expect(params.optional('grant_type')).toBe('password');
    expect(params.optional('scope')).toBeUndefined();
    expect(params.optional('username')).toBeUndefined();
  });

  it('says which required parameter is missing', () => {
    expect(() => OAuthParams.from({}).required('refresh_token')).toThrow(
      expect.objectContaining({ error: 'invalid_request', description: expect.stringContaining('refresh_token') }),
    );
  });

  it('accepts an empty body as no parameters, and refuses a body that is not an object', () => {
    for (const body of [undefined, null, '']) expect(OAuthParams.from(body).optional('x')).toBeUndefined();
    for (const body of ['grant_type=password', 42, ['grant_type']]) expect(() => OAuthParams.from(body)).toThrow(invalidRequest);
  });

  it('refuses a repeated parameter (RFC 6749 §3.2) and a non-string JSON value, never coercing them', () => {
    expect(() => OAuthParams.from({ scope: ['a', 'b'] }).optional('scope')).toThrow(invalidRequest);
    for (const value of [1, true, { nested: 'x' }]) expect(() => OAuthParams.from({ token: value }).optional('token')).toThrow(invalidRequest);
  });

  it('refuses NUL and over-long values', () => {
    expect(() => OAuthParams.from({ username: 'ad\0min' }).optional('username')).toThrow(invalidRequest);
    expect(() => OAuthParams.from({ token: 'x'.repeat(8193) }).optional('token')).toThrow(invalidRequest);
    expect(OAuthParams.from({ token: 'x'.repeat(8192) }).optional('token')).toHaveLength(8192);
  });

  it('does not read inherited properties as parameters (a body cannot smuggle __proto__ or toString)', () => {
    const params = OAuthParams.from(JSON.parse('{"__proto__": {"grant_type": "password"}}'));
    expect(params.optional('grant_type')).toBeUndefined();
    expect(params.optional('toString')).toBeUndefined();
  });
});
