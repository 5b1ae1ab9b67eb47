import { describe, expect, it } from 'vitest';
import { sourceAddress } from './source-address.js';

describe('sourceAddress', () => {
  it('keeps an IPv4 address, and reads an IPv4-mapped IPv6 address as IPv4', () => {
    expect(sourceAddress('127.0.0.2')).toBe('127.0.0.2');
    expect(sourceAddress('::ffff:203.0.113.7')).toBe('203.0.113.7');
  });

  it('counts IPv6 by its /64: every address of one subscriber block is one source', () => {
    const block = '2001:db8:85a3:12::/64';
    expect(sourceAddress('2001:db8:85a3:12::1')).toBe(block);
    expect(sourceAddress('2001:0db8:85a3:0012:ffff:ffff:ffff:fffe')).toBe(block);
    expect(sourceAddress('2001:db8:85a3:12:0:0:0:7%eth0')).toBe(block);
    expect(sourceAddress('2001:db8:85a3:13::1')).not.toBe(block);
  });

  it('expands a compressed prefix', () => {
    expect(sourceAddress('::1')).toBe('0:0:0:0::/64');
    expect(sourceAddress('fe80::1:2:3:4')).toBe('fe80:0:0:0::/64');
    expect(sourceAddress('2001:db8::')).toBe('2001:db8:0:0::/64');
  });
});
