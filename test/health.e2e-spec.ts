import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, type TestApp } from './support/app.js';

describe('operations', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startApp();
  });
  afterAll(() => t.close());

  it('GET /health reports the database up, without a token', async () => {
    const res = await t.http().get('/health').expect(200);
    expect(res.body).toMatchObject({ status: 'ok', info: { database: { status: 'up' } } });
  });

  it('GET /health/live and GET /health/ready answer 200 without a token while the database answers', async () => {
    expect((await t.http().get('/health/live').expect(200)).body).toMatchObject({ status: 'ok' });
    const ready = await t.http().get('/health/ready').expect(200);
    expect(ready.body).toMatchObject({ status: 'ok', info: { server: { status: 'up' }, database: { status: 'up' } } });
  });

  it('GET /docs serves Swagger UI and the OpenAPI document declares bearer auth', async () => {
    const ui = await t.http().get('/docs').expect(200);
    expect(ui.headers['content-type']).toMatch(/text\/html/);
    const doc = await t.http().get('/docs/openapi.json').expect(200);
    expect(doc.body.components.securitySchemes.bearer).toMatchObject({ type: 'http', scheme: 'bearer' });
    expect(Object.keys(doc.body.paths)).toEqual(expect.arrayContaining(['/admin/users', '/admin/roles', '/health']));
  });

  it('sends security headers and no x-powered-by', async () => {
    const res = await t.http().get('/health').expect(200);
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['x-frame-options']).toBeDefined();
    expect(res.headers['x-powered-by']).toBeUndefined();
  });

  it('a guarded route without a token is 401 with a Bearer challenge', async () => {
    const res = await t.http().get('/admin/users').expect(401);
    expect(res.headers['www-authenticate']).toBe('Bearer realm="gatehouse"');
    expect(res.body).toMatchObject({ statusCode: 401 });
  });

  it('an unknown route is a JSON 404', async () => {
    const res = await t.http().get('/no/such/route').expect(404);
    expect(res.body).toMatchObject({ statusCode: 404 });
  });
});
