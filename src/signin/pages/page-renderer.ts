import { Injectable } from '@nestjs/common';
import { Eta } from 'eta';
import type { FastifyReply } from 'fastify';
import { join } from 'node:path';

export type PageName = 'login' | 'consent' | 'client-status' | 'error';

/**
 * The CSP of every sign-in page: nothing but our own stylesheet, no script at
 * all, never framed (clickjacking a consent button), forms posted only to us
 * and, as the redirect that follows a form, to the client's redirect URI.
 */
function contentSecurityPolicy(formTargets: readonly string[]): string {
  return [
    "default-src 'none'",
    "style-src 'self'",
    "img-src 'self'",
    `form-action 'self'${formTargets.map((target) => ` ${target}`).join('')}`,
    "frame-ancestors 'none'",
    "base-uri 'none'",
  ].join('; ');
}

/** What a form may end up at: the origin of an http(s) redirect URI, or the scheme of a private-use one. */
export function formTargetOf(redirectUri: string): string | null {
  try {
    const url = new URL(redirectUri);
    if (url.protocol === 'https:' || url.protocol === 'http:') return url.origin;
    return /^[a-z][a-z0-9.+-]*:$/.test(url.protocol) ? url.protocol : null;
  } catch {
    return null;
  }
}

/**
 * Renders the sign-in pages through Eta, whose `<%= %>` escapes every value
 * (autoEscape is on, and the templates use no raw output but the layout's
 * already-rendered body), and sends them with headers that keep them out of
 * caches and frames.
 */
@Injectable()
export class PageRenderer {
  private readonly eta = new Eta({ views: join(import.meta.dirname, 'views'), autoEscape: true, cache: true });

  send(reply: FastifyReply, status: number, page: PageName, data: Record<string, unknown>, formTargets: readonly string[] = []): FastifyReply {
    const html = this.eta.render(`./${page}`, data);
    return reply
      .status(status)
      .header('Content-Type', 'text/html; charset=utf-8')
      .header('Cache-Control', 'no-store')
      .header('Pragma', 'no-cache')
      .header('Content-Security-Policy', contentSecurityPolicy(formTargets))
      .header('X-Frame-Options', 'DENY')
      .header('Referrer-Policy', 'no-referrer')
      .send(html);
  }
}
