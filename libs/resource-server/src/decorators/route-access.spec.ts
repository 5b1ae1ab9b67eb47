import { Controller, Get } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ExecutionContextHost } from '@nestjs/core/helpers/execution-context-host.js';
import { describe, expect, it } from 'vitest';
import { Public } from './public.decorator.js';
import { RequirePermissions } from './require-permissions.decorator.js';
import { routeAccess } from './route-access.js';

@Controller('open')
@Public()
class OpenController {
  @Get() plain() {}
  @Get('closed') @RequirePermissions('reports:read') closed() {}
  @Get('token') @RequirePermissions() anyToken() {}
}

@Controller('closed')
@RequirePermissions('notes:read')
class ClosedController {
  @Get() plain() {}
  @Get('open') @Public() open() {}
  @Get('other') @RequirePermissions('notes:write') other() {}
}

@Controller('bare')
class BareController {
  @Get() plain() {}
}

const access = (controller: new () => object, name: string) =>
  routeAccess(
    new Reflector(),
    new ExecutionContextHost([{}, {}, () => undefined], controller as never, (controller.prototype as Record<string, () => void>)[name]),
  );

describe('routeAccess: the handler decides before the controller, and closed is the default', () => {
  it('a controller without decorators is guarded and needs only a valid token', () => {
    expect(access(BareController, 'plain')).toEqual({ isPublic: false, permissions: [] });
  });

  it('opens the routes of a @Public() controller', () => {
    expect(access(OpenController, 'plain')).toEqual({ isPublic: true, permissions: [] });
  });

  it('a handler declaring permissions inside a @Public() controller is closed, even with none named', () => {
    expect(access(OpenController, 'closed')).toEqual({ isPublic: false, permissions: ['reports:read'] });
    expect(access(OpenController, 'anyToken')).toEqual({ isPublic: false, permissions: [] });
  });

  it("a guarded controller's permissions apply to its handlers; a handler's own replace them; its @Public() opens it", () => {
    expect(access(ClosedController, 'plain')).toEqual({ isPublic: false, permissions: ['notes:read'] });
    expect(access(ClosedController, 'other')).toEqual({ isPublic: false, permissions: ['notes:write'] });
    expect(access(ClosedController, 'open').isPublic).toBe(true);
  });
});
