import { applyDecorators } from '@nestjs/common';
import { ArrayMaxSize, ArrayNotEmpty, ArrayUnique, IsArray, IsIn, IsString } from 'class-validator';
import { ALL_PERMISSIONS } from '../../common/permissions.js';
import { GRANT_TYPES, PUBLIC_CLIENT_GRANT_TYPES } from '../client.entity.js';
import { isPrivateUseRedirect } from '../redirect-uri.js';

/** A list of grant types, each one the token server knows; the messages name the field. */
export const IsGrantTypeList = () =>
  applyDecorators(
    IsArray({ message: 'grant_types must be an array' }),
    ArrayNotEmpty({ message: 'grant_types must name at least one grant type' }),
    ArrayUnique({ message: 'grant_types must not repeat a grant type' }),
    IsIn(GRANT_TYPES, { each: true, message: `each of grant_types must be one of: ${GRANT_TYPES.join(', ')}` }),
  );

/** A list of scopes from the permission catalogue. */
export const IsScopeList = () =>
  applyDecorators(
    IsArray({ message: 'scopes must be an array' }),
    ArrayMaxSize(ALL_PERMISSIONS.length, { message: 'scopes has too many entries' }),
    ArrayUnique({ message: 'scopes must not repeat a scope' }),
    IsString({ each: true, message: 'each of scopes must be a string' }),
    IsIn(ALL_PERMISSIONS, { each: true, message: `each of scopes must be one of: ${ALL_PERMISSIONS.join(', ')}` }),
  );

/** Refresh tokens only come from a user's sign-in (a code exchange or a password login), so asking for one without either is a mistake. */
export function grantTypesProblem(grantTypes: readonly string[]): string | null {
  if (grantTypes.includes('refresh_token') && !grantTypes.includes('password') && !grantTypes.includes('authorization_code')) {
    return 'grant_types: refresh_token is only issued with the authorization_code or password grant; add one of them or drop refresh_token';
  }
  return null;
}

/** A public client has no secret to prove itself with: only the browser flow, PKCE-bound; and only it may claim an app's private-use scheme. */
export function publicClientProblem(isPublic: boolean, grantTypes: readonly string[], redirectUris: readonly string[]): string | null {
  if (isPublic) {
    const refused = grantTypes.filter((grant) => !PUBLIC_CLIENT_GRANT_TYPES.includes(grant));
    if (refused.length)
      return `grant_types: a public client (token_endpoint_auth_method none) may use only authorization_code and refresh_token, not ${refused.join(', ')}`;
    if (!grantTypes.includes('authorization_code')) return 'grant_types: a public client needs authorization_code';
    return null;
  }
  if (redirectUris.some(isPrivateUseRedirect)) return 'redirect_uris: a private-use scheme is for public clients (token_endpoint_auth_method none) only';
  return null;
}
