import { applyDecorators, SetMetadata } from '@nestjs/common';
import { ApiBearerAuth, ApiForbiddenResponse, ApiUnauthorizedResponse } from '@nestjs/swagger';
import type { Permission } from '../../common/permissions.js';

export const PERMISSIONS_KEY = 'gatehouse:permissions';

/**
 * The permissions a route needs: each must be in the token's scope and held by
 * the principal. On a handler it replaces the controller's declaration.
 */
export const RequirePermissions = (...permissions: Permission[]) =>
  applyDecorators(
    SetMetadata(PERMISSIONS_KEY, permissions),
    ApiBearerAuth(),
    ApiUnauthorizedResponse({ description: 'Missing, invalid, expired or revoked token' }),
    ApiForbiddenResponse({ description: `Requires ${permissions.join(', ') || 'a valid token'}` }),
  );
