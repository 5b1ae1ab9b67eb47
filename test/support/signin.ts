import { createHash, randomBytes } from 'node:crypto';
import request from 'supertest';
import type TestAgent from 'supertest/lib/agent.js';
import { expect } from 'vitest';
import type { TestApp } from './app.js';

/** A PKCE pair (RFC 7636): a fresh verifier and its S256 challenge. */
export function pkce(): { verifier: string; challenge: string } {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

/** A browser: a supertest agent that keeps the cookies the server sets. */
export function browser(t: TestApp): TestAgent {
  return request.agent(t.app.getHttpServer());
}

const unescape = (value: string) =>
  value
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');

/** The named fields of the page's (first) form, as a browser would submit them, plus its action. */
export function formOf(html: string): { action: string; fields: Record<string, string> } {
  const action = /<form[^>]*action="([^"]+)"/.exec(html)?.[1];
  expect(action, 'the page has a form').toBeDefined();
  const fields: Record<string, string> = {};
  for (const match of html.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)) fields[unescape(match[1])] = unescape(match[2]);
  return { action: unescape(action!), fields };
}

/** The query of a redirect's Location, as an object. */
export function redirectQuery(location: string | undefined): Record<string, string> {
  expect(location, 'a Location header').toBeDefined();
  return Object.fromEntries(new URL(location!).searchParams);
}

export interface AuthorizeParams {
  client_id: string;
  redirect_uri: string;
  scope?: string;
  state?: string;
  code_challenge?: string;
  code_challenge_method?: string;
  response_type?: string;
  prompt?: string;
  [name: string]: string | undefined;
}

/** GET /oauth/authorize with these parameters (undefined ones left out). */
export function authorize(agent: TestAgent, params: AuthorizeParams) {
  const query = Object.fromEntries(Object.entries({ response_type: 'code', ...params }).filter(([, v]) => v !== undefined)) as Record<string, string>;
  return agent.get('/oauth/authorize').query(query);
}

/** Submits the login page's form with these credentials. */
export function submitLogin(agent: TestAgent, loginPage: string, credentials: { username: string; password: string }) {
  const { action, fields } = formOf(loginPage);
  return agent
    .post(action)
    .type('form')
    .send({ ...fields, ...credentials });
}

/** Submits the consent page's form with this decision. */
export function submitConsent(agent: TestAgent, consentPage: string, decision: 'allow' | 'deny') {
  const { action, fields } = formOf(consentPage);
  return agent
    .post(action)
    .type('form')
    .send({ ...fields, decision });
}

/**
 * The whole browser side for a user: authorize, sign in, allow when asked.
 * Returns the redirect's query (code, state, iss).
 */
export async function signInForCode(agent: TestAgent, params: AuthorizeParams, user: { username: string; password: string }): Promise<Record<string, string>> {
  let res = await authorize(agent, params);
  if (res.status === 200 && res.text.includes('name="password"')) res = await submitLogin(agent, res.text, user);
  if (res.status === 200 && res.text.includes('name="decision"')) res = await submitConsent(agent, res.text, 'allow');
  expect([302, 303], res.text).toContain(res.status);
  return redirectQuery(res.headers.location);
}
