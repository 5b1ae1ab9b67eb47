import type { ResolvedOptions } from '../options.js';

/** RFC 6749 §2.3.1 `client_secret_basic`: id and secret form-urlencoded, then base64. */
export function basicAuthorization({ clientId, clientSecret }: Pick<ResolvedOptions, 'clientId' | 'clientSecret'>): string {
  const encode = (value: string) => encodeURIComponent(value).replace(/%20/g, '+');
  return `Basic ${Buffer.from(`${encode(clientId)}:${encode(clientSecret)}`).toString('base64')}`;
}

/** A form POST to Gatehouse as this service's client; the JSON answer and its status. */
export async function postAsClient(
  options: ResolvedOptions,
  endpoint: URL,
  form: Record<string, string>,
): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(endpoint, {
    method: 'POST',
    headers: { Authorization: basicAuthorization(options), 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' },
    body: new URLSearchParams(form),
    signal: AbortSignal.timeout(options.requestTimeoutMs),
  });
  const body: unknown = await response.json().catch(() => ({}));
  return { status: response.status, body: typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : {} };
}
