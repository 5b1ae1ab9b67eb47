import { SetMetadata } from '@nestjs/common';

export const PERMISSIONS_KEY = 'gatehouse-resource:permissions';

/**
 * The permissions a route needs: each must be in the token's scope (else 403 insufficient_scope)
 * and held by the principal now (else a plain 403). On a handler it replaces the controller's
 * declaration; with no argument it asks only for a valid token, which closes a route inside a
 * `@Public()` controller.
 */
export const RequirePermissions = (...permissions: string[]) => SetMetadata(PERMISSIONS_KEY, permissions);
