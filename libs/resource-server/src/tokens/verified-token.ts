/** A Gatehouse access token whose signature, header and claims have been checked (RFC 9068 §4). */
export interface VerifiedToken {
  /** The compact JWT, for introspection. */
  raw: string;
  /** The key that signed it. */
  kid: string;
  sub: string;
  clientId: string;
  scope: readonly string[];
  iat: number;
  exp: number;
  jti: string;
  /** The refresh-token family the token was issued from, if any. */
  sid: string | null;
}
