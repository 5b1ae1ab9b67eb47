import { describe, expect, it } from 'vitest';
import { matchRedirectUri } from './redirect-match.js';

describe('matchRedirectUri', () => {
  const registered = ['https://app.example/cb', 'http://127.0.0.1/cb', 'http://[::1]:8080/native', 'com.example.app:/callback'];

  it('accepts a registered URI exactly as registered', () => {
    for (const uri of registered) expect(matchRedirectUri(registered, uri)).toBe(uri);
  });

  it('refuses anything that is not character for character the same', () => {
    for (const uri of [
      'https://app.example/cb/',
      'https://app.example/cb?x=1',
      'https://APP.example/cb',
      'https://app.example:443/cb',
      'https://app.example/CB',
      'https://app.example.evil/cb',
      'https://app.example/cb#frag',
      'com.example.app:/callback/other',
    ]) {
      expect(matchRedirectUri(registered, uri), uri).toBeNull();
    }
  });

  it('lets the port differ on an http loopback IP (RFC 8252 §7.3)', () => {
    expect(matchRedirectUri(registered, 'http://127.0.0.1:51234/cb')).toBe('http://127.0.0.1:51234/cb');
    expect(matchRedirectUri(registered, 'http://[::1]:1/native')).toBe('http://[::1]:1/native');
    expect(matchRedirectUri(registered, 'http://[::1]/native')).toBe('http://[::1]/native');
  });

  it('but not the path, the host, the scheme, or for localhost or https', () => {
    expect(matchRedirectUri(registered, 'http://127.0.0.1:51234/other')).toBeNull();
    expect(matchRedirectUri(registered, 'http://127.0.0.2:51234/cb')).toBeNull();
    expect(matchRedirectUri(registered, 'https://127.0.0.1:51234/cb')).toBeNull();
    expect(matchRedirectUri(['http://localhost/cb'], 'http://localhost:5000/cb')).toBeNull();
    expect(matchRedirectUri(['https://app.example/cb'], 'https://app.example:8443/cb')).toBeNull();
    expect(matchRedirectUri(registered, 'http://127.0.0.1:51234/cb/../cb')).toBeNull();
    expect(matchRedirectUri(registered, 'http://user@127.0.0.1:51234/cb')).toBeNull();
  });
});
