/** RFC 8252 §7.3: only IP literals; "localhost" may resolve elsewhere, so it gets no port exception. */
const LOOPBACK_IPS = new Set(['127.0.0.1', '[::1]']);

/**
 * The registered redirect URI `presented` stands for, or null. RFC 9700
 * §4.1.3: exact string comparison, with the one exception RFC 8252 §7.3 makes
 * for native apps: on an http loopback IP the port may differ, because the
 * app picks a free one at run time.
 */
export function matchRedirectUri(registered: readonly string[], presented: string): string | null {
  if (registered.includes(presented)) return presented;
  const asked = loopbackWithoutPort(presented);
  if (asked === null) return null;
  return registered.find((uri) => loopbackWithoutPort(uri) === asked) ? presented : null;
}

/** The URI with its port removed when it is http on a loopback IP; null for anything else. */
function loopbackWithoutPort(uri: string): string | null {
  let url: URL;
  try {
    url = new URL(uri);
  } catch {
    return null;
  }
  if (url.protocol !== 'http:' || !LOOPBACK_IPS.has(url.hostname)) return null;
  // Anything the URL parser would normalise (case, dot segments, default port) must already be in normal form.
  const withoutPort = uri.replace(/^(http:\/\/(?:127\.0\.0\.1|\[::1\]))(?::\d{1,5})?(?=[/?]|$)/, '$1');
  url.port = '';
  return url.href === withoutPort || url.href === `${withoutPort}/` ? url.href : null;
}
