import { isIPv6 } from 'node:net';

/**
 * The address guesses are counted against. IPv4 as it is (an IPv4-mapped IPv6
 * address as the IPv4 one); other IPv6 by its /64, the block a single
 * subscriber is handed: counting per /128 would give one attacker 2^64 fresh
 * counters.
 */
export function sourceAddress(ip: string): string {
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(ip);
  if (mapped) return mapped[1];
  if (!isIPv6(ip)) return ip;
  const bare = ip.split('%')[0];
  const compressed = bare.includes('::');
  const [head, tail] = compressed ? bare.split('::') : [bare, ''];
  const headGroups = head ? head.split(':') : [];
  const tailGroups = tail ? tail.split(':') : [];
  // A trailing dotted IPv4 part stands for two groups; only the first four groups matter here.
  const width = (groups: string[]) => groups.reduce((n, group) => n + (group.includes('.') ? 2 : 1), 0);
  const zeros = compressed ? Array<string>(8 - width(headGroups) - width(tailGroups)).fill('0') : [];
  const prefix = [...headGroups, ...zeros, ...tailGroups].slice(0, 4).map((group) => parseInt(group, 16).toString(16));
  return `${prefix.join(':')}::/64`;
}
