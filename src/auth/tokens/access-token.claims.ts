/** RFC 9068 claims of a Gatehouse access token. Nothing personal beyond these. */
export interface AccessTokenClaims {
  iss: string;
  sub: string;
  aud: string;
  client_id: string;
  scope: string;
  iat: number;
  exp: number;
  jti: string;
  /** The refresh-token family (the login) this token was issued from; revoking the family revokes it. */
  sid?: string;
}

/** RFC 9068 §2.1: the media type of an access token, as it appears in `typ`. */
export const ACCESS_TOKEN_TYP = 'at+jwt';

export function isAccessTokenTyp(typ: unknown): boolean {
  return typeof typ === 'string' && ['at+jwt', 'application/at+jwt'].includes(typ.toLowerCase());
}

/** Checks the shape of verified claims; anything off means the token is not one of ours. */
export function hasAccessTokenClaims(payload: Record<string, unknown>): payload is AccessTokenClaims & Record<string, unknown> {
  return (
    typeof payload.sub === 'string' &&
    typeof payload.client_id === 'string' &&
    typeof payload.jti === 'string' &&
    typeof payload.scope === 'string' &&
    typeof payload.iat === 'number' &&
    typeof payload.exp === 'number' &&
    (payload.sid === undefined || typeof payload.sid === 'string')
  );
}
