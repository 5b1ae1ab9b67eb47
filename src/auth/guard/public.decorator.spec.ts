import { Controller, Get } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ExecutionContextHost } from '@nestjs/core/helpers/execution-context-host.js';
import { describe, expect, it } from 'vitest';
import { isPublicRoute, Public } from './public.decorator.js';
import { RequirePermissions } from './require-permissions.decorator.js';

@Controller('open')
@Public()
class OpenController {
  @Get() plain() {}
  @Get('closed') @RequirePermissions('reports:read') closed() {}
}

@Controller('closed')
@RequirePermissions('notes:read')
class ClosedController {
  @Get() plain() {}
  @Get('open') @Public() open() {}
}

const route = (controller: new () => object, name: string) =>
  new ExecutionContextHost([{}, {}, () => undefined], controller as never, (controller.prototype as Record<string, () => void>)[name]);

describe('isPublicRoute', () => {
  const reflector = new Reflector();

  it('opens the routes of a @Public() controller', () => {
    expect(isPublicRoute(reflector, route(OpenController, 'plain'))).toBe(true);
  });

  it("closes a handler that declares permissions, even in a @Public() controller (the handler's declaration wins)", () => {
    expect(isPublicRoute(reflector, route(OpenController, 'closed'))).toBe(false);
  });

  it('opens a @Public() handler in a guarded controller, and nothing else there', () => {
    expect(isPublicRoute(reflector, route(ClosedController, 'open'))).toBe(true);
    expect(isPublicRoute(reflector, route(ClosedController, 'plain'))).toBe(false);
  });
});
