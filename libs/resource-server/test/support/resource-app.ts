import { Controller, Get, type INestApplication, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import {
  CurrentPrincipal,
  GatehouseResourceHealth,
  GatehouseResourceModule,
  type GatehousePrincipal,
  type GatehouseResourceOptions,
  Public,
  RequirePermissions,
} from '@gatehouse/resource-server';
import { expect } from 'vitest';

export type Adapter = 'fastify' | 'express';

@Controller()
class SampleController {
  @Get('open')
  @Public()
  open() {
    return { open: true };
  }

  @Get('whoami')
  whoami(@CurrentPrincipal() principal: GatehousePrincipal) {
    return principal;
  }

  @Get('notes')
  @RequirePermissions('notes:read')
  notes(@CurrentPrincipal() principal: GatehousePrincipal) {
    return { served_to: principal.subject };
  }

  @Get('reports')
  @RequirePermissions('reports:read')
  reports() {
    return { reports: [] };
  }

  @Get('stock')
  @RequirePermissions('inventory:read')
  stock(@CurrentPrincipal() principal: GatehousePrincipal) {
    return { served_to: principal.clientId };
  }
}

export interface ResourceApp {
  app: INestApplication;
  baseUrl: string;
  health: GatehouseResourceHealth;
  /** GET with an optional bearer token (or a raw Authorization header). */
  call(path: string, token?: string, header?: string): Promise<Response>;
  close(): Promise<void>;
}

/** A NestJS service guarded by the library, listening on a free port, on the adapter asked for. */
export async function startResourceApp(options: GatehouseResourceOptions, adapter: Adapter = 'fastify'): Promise<ResourceApp> {
  @Module({ imports: [GatehouseResourceModule.forRoot(options)], controllers: [SampleController] })
  class ResourceTestModule {}
  const app =
    adapter === 'fastify'
      ? await NestFactory.create(ResourceTestModule, new FastifyAdapter(), { logger: false })
      : await NestFactory.create(ResourceTestModule, { logger: false });
  await app.listen(0, '127.0.0.1');
  const baseUrl = (await app.getUrl()).replace('[::1]', '127.0.0.1');
  return {
    app,
    baseUrl,
    health: app.get(GatehouseResourceHealth),
    call: (path, token, header) => {
      const authorization = header ?? (token === undefined ? undefined : `Bearer ${token}`);
      return fetch(`${baseUrl}${path}`, { headers: authorization === undefined ? {} : { Authorization: authorization } });
    },
    close: () => app.close(),
  };
}

/** Polls until `check` holds (events travel asynchronously); fails with `what` after `timeoutMs`. */
export async function until(what: string, check: () => boolean | Promise<boolean>, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** Waits until the service has applied the event with this id. */
export function applied(resource: ResourceApp, id: string): Promise<void> {
  return until(`event ${id} to be applied`, () => resource.health.status().lastEventId === id);
}

/** The body and the headers that matter of an RFC 6750 answer, to compare two services' answers. */
export async function challengeOf(res: Response): Promise<{ status: number; challenge: string | null; body: unknown }> {
  return { status: res.status, challenge: res.headers.get('www-authenticate'), body: await res.json() };
}

export async function expectInvalidToken(res: Response, description?: string): Promise<void> {
  const { status, challenge, body } = await challengeOf(res);
  expect({ status, challenge, body }).toMatchObject({ status: 401, challenge: expect.stringMatching(/^Bearer realm="gatehouse", error="invalid_token"/) });
  if (description !== undefined) expect(body).toMatchObject({ error: 'invalid_token', message: description });
}
