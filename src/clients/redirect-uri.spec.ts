import { describe, expect, it } from 'vitest';
import { redirectUriProblem } from './redirect-uri.js';

describe('redirectUriProblem', () => {
  it.each([
    'https://app.example.com/callback',
    'https://app.example.com:8443/cb?x=1',
    'http://127.0.0.1:8080/cb',
    'http://[::1]:8080/cb',
    'http://localhost/cb',
    'com.example.app:/callback',
    'com.example.app:/oauth/cb?x=1',
  ])('accepts %s', (uri) => {
    expect(redirectUriProblem(uri)).toBeNull();
  });

  it.each([
    ['http://app.example.com/cb', 'https'],
    ['/relative/cb', 'absolute'],
    ['app.example.com/cb', 'absolute'],
    ['ftp://app.example.com/cb', 'https'],
    ['javascript:alert(1)', 'https'],
    ['https://app.example.com/cb#frag', 'fragment'],
    ['https://user:pw@app.example.com/cb', 'credentials'],
    [' https://app.example.com/cb', 'whitespace'],
    ['http://127.0.0.1.evil.com/cb', 'https'],
    ['http://localhost.evil.com/cb', 'https'],
    [`https://app.example.com/${'a'.repeat(2000)}`, 'at most'],
    [42, 'string'],
    ['myapp:/callback', 'https'],
    ['com.example.app:callback', 'path'],
    ['com.example.app:/cb#frag', 'fragment'],
  ])('refuses %s', (uri, why) => {
    expect(redirectUriProblem(uri)).toContain(why);
  });
});
