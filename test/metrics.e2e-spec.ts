import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN, startApp, type TestApp } from './support/app.js';
import { createUser, registerClient } from './support/clients.js';
import { insertClient } from './support/fixtures.js';
import { adminAuth, clientCredentialsToken, passwordLogin, tokenRequest } from './support/oauth.js';
import { freePort, REPO_ROOT } from './support/server-process.js';

/** One sample of the Prometheus text format: `name{labels} value`. */
interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

function parse(text: string): Sample[] {
  return text
    .split('\n')
    .filter((line) => line && !line.startsWith('#'))
    .map((line) => {
      const match = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
      if (!match) throw new Error(`not a sample line: ${line}`);
      const labels = Object.fromEntries([...(match[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((m) => [m[1], m[2]]));
      return { name: match[1], labels, value: Number(match[3]) };
    });
}

const total = (samples: Sample[], name: string, labels: Record<string, string> = {}) =>
  samples.filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v)).reduce((sum, s) => sum + s.value, 0);

describe('Prometheus metrics on METRICS_PORT', () => {
  let t: TestApp;
  let metricsUrl: string;
  let samples: Sample[];
  let text: string;

  beforeAll(async () => {
    const port = await freePort();
    metricsUrl = `http://127.0.0.1:${port}/metrics`;
    t = await startApp({ env: { METRICS_PORT: String(port), LOGIN_FAILURES_BEFORE_LOCKOUT: '2' } });

    // The acceptance flows, in short: every series gets something to count.
    const admin = await adminAuth(t);
    const login = await passwordLogin(t, ADMIN, { scope: 'notes:read' });
    const refreshed = await tokenRequest(t, { grant_type: 'refresh_token', refresh_token: login.refresh_token! });
    expect(refreshed.status).toBe(200);
    // The rotated token again: reuse, and the family is revoked.
    expect((await tokenRequest(t, { grant_type: 'refresh_token', refresh_token: login.refresh_token! })).status).toBe(400);
    const machine = await insertClient(t, { grantTypes: ['client_credentials'], scopes: ['inventory:read'] });
    await clientCredentialsToken(t, machine, 'inventory:read');
    // Two wrong passwords lock the account (threshold 2), the third attempt is refused.
    for (let i = 0; i < 3; i++) await tokenRequest(t, { grant_type: 'password', username: 'metrics-victim', password: 'wrong-password' });
    await t.http().get('/me').set('Authorization', 'Bearer not-a-token').expect(401);
    await t.http().get('/me').expect(401);
    // Not login's token: the reuse above revoked its whole family, access tokens included (sid).
    await t.http().get('/notes/some-note-id-that-names-nothing').set('Authorization', admin);
    await t.http().get('/a/path/no/route/has-9f2c').expect(404);
    const registrant = await createUser(t, admin, `metrics-registrant-${Date.now()}`);
    await registerClient(t, registrant.auth, { scopes: ['notes:read'] });

    const res = await fetch(metricsUrl);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
    text = await res.text();
    samples = parse(text);
  });
  afterAll(() => t.close());

  it('counts requests by method, route template and status, with latency histograms', () => {
    expect(total(samples, 'gatehouse_http_requests_total', { method: 'POST', route: '/oauth/token', status: '200' })).toBeGreaterThanOrEqual(4);
    expect(total(samples, 'gatehouse_http_requests_total', { method: 'GET', route: '/notes/:id' })).toBe(1);
    expect(total(samples, 'gatehouse_http_request_duration_seconds_count', { method: 'POST', route: '/oauth/token' })).toBeGreaterThanOrEqual(4);
    expect(samples.some((s) => s.name === 'gatehouse_http_request_duration_seconds_bucket' && s.labels.le === '+Inf')).toBe(true);
  });

  it('never labels a series with a raw path or anything the client sent', () => {
    expect(text).not.toContain('some-note-id-that-names-nothing');
    expect(text).not.toContain('has-9f2c');
    expect(text).not.toContain('metrics-victim');
    expect(total(samples, 'gatehouse_http_requests_total', { route: '(unmatched)', status: '404' })).toBe(1);
  });

  it('counts tokens issued by grant, failures by reason, lockouts and refresh reuse', () => {
    expect(total(samples, 'gatehouse_tokens_issued_total', { grant_type: 'password' })).toBeGreaterThanOrEqual(2);
    expect(total(samples, 'gatehouse_tokens_issued_total', { grant_type: 'refresh_token' })).toBe(1);
    expect(total(samples, 'gatehouse_tokens_issued_total', { grant_type: 'client_credentials' })).toBe(1);
    expect(total(samples, 'gatehouse_auth_failures_total', { reason: 'invalid_grant' })).toBeGreaterThanOrEqual(3);
    expect(total(samples, 'gatehouse_auth_failures_total', { reason: 'temporarily_unavailable' })).toBeGreaterThanOrEqual(1);
    expect(total(samples, 'gatehouse_auth_failures_total', { reason: 'invalid_token' })).toBe(1);
    expect(total(samples, 'gatehouse_auth_failures_total', { reason: 'token_missing' })).toBe(1);
    expect(total(samples, 'gatehouse_lockouts_total', { subject: 'account' })).toBe(1);
    expect(total(samples, 'gatehouse_refresh_token_reuse_total')).toBe(1);
  });

  it('reports the review queue and the process', () => {
    expect(total(samples, 'gatehouse_review_queue_depth')).toBe(1);
    expect(total(samples, 'gatehouse_review_queue_oldest_seconds')).toBeGreaterThanOrEqual(0);
    expect(total(samples, 'gatehouse_process_resident_memory_bytes')).toBeGreaterThan(0);
    expect(total(samples, 'gatehouse_nodejs_eventloop_lag_seconds')).toBeGreaterThanOrEqual(0);
  });

  it('reports PostgreSQL pool use (SQLite has no pool)', () => {
    const pool = samples.filter((s) => s.name === 'gatehouse_db_pool_connections');
    if (t.database.dialect === 'sqlite') {
      expect(pool).toEqual([]);
    } else {
      expect(pool.map((s) => s.labels.state).sort()).toEqual(['idle', 'in_use', 'waiting']);
      // The scrape itself holds no connection; the flows above opened at least one.
      expect(total(samples, 'gatehouse_db_pool_connections', { state: 'idle' })).toBeGreaterThan(0);
    }
  });

  it('serves every series the Grafana dashboard and the alert rules in deploy/ read', () => {
    const served = new Set(samples.map((s) => s.name));
    for (const file of ['grafana-dashboard.json', 'prometheus-alerts.yml']) {
      const referenced = new Set(readFileSync(join(REPO_ROOT, 'deploy', file), 'utf8').match(/gatehouse_\w+/g));
      expect(referenced.size, file).toBeGreaterThanOrEqual(5);
      for (const name of referenced) {
        if (name === 'gatehouse_db_pool_connections' && t.database.dialect === 'sqlite') continue;
        expect(served.has(name), `${file} reads ${name}`).toBe(true);
      }
    }
  });

  it('is not served on the public port, and the metrics port serves nothing else', async () => {
    await t.http().get('/metrics').expect(404);
    expect((await fetch(metricsUrl.replace('/metrics', '/health'))).status).toBe(404);
    expect((await fetch(metricsUrl, { method: 'POST' })).status).toBe(404);
  });
});
