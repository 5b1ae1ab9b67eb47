import { registerDecorator, type ValidationOptions } from 'class-validator';

const LOOPBACK_HOSTS = new Set(['127.0.0.1', '[::1]', 'localhost']);
/** RFC 8252 §7.1: a private-use scheme in reverse-domain form (at least one dot), `com.example.app:/callback`. */
const PRIVATE_USE_SCHEME = /^[a-z][a-z0-9+-]*(\.[a-z0-9+-]+)+:$/;

/** Whether `value` uses a private-use (app-claimed) scheme, which only a public client may register. */
export function isPrivateUseRedirect(value: string): boolean {
  try {
    return PRIVATE_USE_SCHEME.test(new URL(value).protocol);
  } catch {
    return false;
  }
}
export const REDIRECT_URI_MAX_LENGTH = 2000;

/**
 * Why `value` is not an acceptable redirect URI, or null when it is: an
 * absolute https URL, http on a loopback host (RFC 8252 §7.3 native apps), or
 * a private-use scheme in reverse-domain form (RFC 8252 §7.1; public clients
 * only, which the registration checks); no fragment (RFC 6749 §3.1.2) and no
 * credentials in it.
 */
export function redirectUriProblem(value: unknown): string | null {
  if (typeof value !== 'string') return 'each redirect_uri must be a string';
  if (value.length > REDIRECT_URI_MAX_LENGTH) return `each redirect_uri must be at most ${REDIRECT_URI_MAX_LENGTH} characters`;
  // URL parsing forgives surrounding or embedded whitespace; a redirect URI is compared verbatim, so it must have none.
  if (/\s/.test(value)) return 'each redirect_uri must not contain whitespace';
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return 'each redirect_uri must be an absolute URL';
  }
  if (PRIVATE_USE_SCHEME.test(url.protocol)) {
    if (value.includes('#')) return 'each redirect_uri must not contain a fragment';
    return url.pathname.startsWith('/') ? null : 'a private-use redirect_uri must have a path (com.example.app:/callback)';
  }
  if (url.protocol === 'http:' && !LOOPBACK_HOSTS.has(url.hostname)) {
    return 'each redirect_uri must use https (http only on 127.0.0.1, [::1] or localhost)';
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:')
    return 'each redirect_uri must use https (http only on loopback; a reverse-domain private-use scheme for public clients)';
  if (!url.hostname) return 'each redirect_uri must name a host';
  if (url.username || url.password) return 'each redirect_uri must not contain credentials';
  if (value.includes('#')) return 'each redirect_uri must not contain a fragment';
  return null;
}

export function IsRedirectUri(options?: ValidationOptions): PropertyDecorator {
  return (target, propertyName) =>
    registerDecorator({
      name: 'isRedirectUri',
      target: target.constructor,
      propertyName: propertyName as string,
      options: { ...options, each: true },
      validator: {
        validate: (value: unknown) => redirectUriProblem(value) === null,
        defaultMessage: (args) => redirectUriProblem(args?.value) ?? 'each redirect_uri is not acceptable',
      },
    });
}
