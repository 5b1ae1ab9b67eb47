import { OAuthError } from '../../common/http/http-errors.js';

/** Far above any real value (a JWT of ours is under 1 KiB); the body limit bounds the rest. */
const MAX_PARAMETER_LENGTH = 8192;

/**
 * Reads the parameters of an OAuth request body (form or JSON). RFC 6749 §3.2
 * forbids repeating a parameter, and every value is a string: a repeated
 * parameter (parsed as an array) or a non-string JSON value is
 * `invalid_request`, never coerced.
 */
export class OAuthParams {
  private constructor(private readonly body: Record<string, unknown>) {}

  static from(body: unknown): OAuthParams {
    if (body === undefined || body === null || body === '') return new OAuthParams({});
    if (typeof body !== 'object' || Array.isArray(body)) {
      throw new OAuthError('invalid_request', 'The request body must be application/x-www-form-urlencoded or a JSON object');
    }
    return new OAuthParams(body as Record<string, unknown>);
  }

  optional(name: string): string | undefined {
    const value = Object.hasOwn(this.body, name) ? this.body[name] : undefined;
    if (value === undefined) return undefined;
    if (Array.isArray(value)) throw new OAuthError('invalid_request', `The ${name} parameter must not be repeated`);
    if (typeof value !== 'string') throw new OAuthError('invalid_request', `The ${name} parameter must be a string`);
    // RFC 6749 §3.1: a parameter sent without a value is treated as omitted.
    if (value === '') return undefined;
    if (value.includes('\0')) throw new OAuthError('invalid_request', `The ${name} parameter must not contain NUL`);
    if (value.length > MAX_PARAMETER_LENGTH) throw new OAuthError('invalid_request', `The ${name} parameter is too long`);
    return value;
  }

  required(name: string): string {
    const value = this.optional(name);
    if (value === undefined) throw new OAuthError('invalid_request', `The ${name} parameter is required`);
    return value;
  }
}
