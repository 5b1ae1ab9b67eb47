import fastifyCookie from '@fastify/cookie';
import fastifyCsrf from '@fastify/csrf-protection';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { AppConfig } from '../../config/app.config.js';
import { PublicClientOrigins } from './public-client-origins.js';

/** The field every sign-in form carries its CSRF token in. */
export const CSRF_FIELD = '_csrf';

/**
 * CORS for public clients, and cookies and CSRF protection for the sign-in pages. The CSRF secret lives in
 * its own HttpOnly cookie (SameSite=Strict: only our own forms send it) and
 * each form carries a token made from it, which an attacker's page can
 * neither read nor make (@fastify/csrf-protection's double submit).
 */
export async function useBrowserPlugins(app: NestFastifyApplication, config: AppConfig): Promise<void> {
  const secure = config.issuer.startsWith('https:');
  // CORS for single-page apps: only the origins of approved public clients' redirect URIs, never with cookies.
  const origins = app.get(PublicClientOrigins);
  app.enableCors({
    origin: (origin: string | undefined, callback: (error: Error | null, allow: boolean) => void) => {
      origins.allows(origin).then(
        (allowed) => callback(null, allowed),
        (error: unknown) => callback(error as Error, false),
      );
    },
    credentials: false,
    methods: ['GET', 'POST', 'DELETE'],
    allowedHeaders: ['Authorization', 'Content-Type'],
    exposedHeaders: ['WWW-Authenticate', 'Retry-After'],
    maxAge: 600,
  });
  await app.register(fastifyCookie);
  await app.register(fastifyCsrf, {
    sessionPlugin: '@fastify/cookie',
    cookieKey: secure ? '__Host-gatehouse_csrf' : 'gatehouse_csrf',
    cookieOpts: { path: '/', httpOnly: true, sameSite: 'strict', secure },
    getToken: (request) => {
      const body = request.body as Record<string, unknown> | undefined;
      const token = body && typeof body === 'object' ? body[CSRF_FIELD] : undefined;
      return typeof token === 'string' ? token : undefined;
    },
  });
}
