import type { FastifyReply, FastifyRequest } from 'fastify';
import { randomBytes } from 'node:crypto';

const DEVICE_COOKIE = 'gatehouse_device';
const ONE_YEAR_SECONDS = 365 * 86_400;
const DEVICE_ID = /^[A-Za-z0-9_-]{22,64}$/;

/**
 * The browser's device id: a random value in a long-lived cookie, set at the
 * first successful sign-in. The account-wide cap on failed sign-ins lets a
 * browser that has signed in to an account before keep trying while it
 * refuses strangers (API.md "Guessing protection").
 */
export function deviceIdOf(request: FastifyRequest): string | null {
  const value = request.cookies[DEVICE_COOKIE];
  return value && DEVICE_ID.test(value) ? value : null;
}

/** Keeps the browser's device id, or gives it one; returns it. */
export function rememberDevice(request: FastifyRequest, reply: FastifyReply, secure: boolean): string {
  const id = deviceIdOf(request) ?? randomBytes(16).toString('base64url');
  reply.setCookie(DEVICE_COOKIE, id, { path: '/', httpOnly: true, sameSite: 'lax', secure, maxAge: ONE_YEAR_SECONDS });
  return id;
}
