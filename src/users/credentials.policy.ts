import { randomBytes } from 'node:crypto';
import { registerDecorator, type ValidationOptions } from 'class-validator';

/** Usernames: 3–64 characters a user can type anywhere, compared case-insensitively. */
export const USERNAME_PATTERN = /^[A-Za-z0-9._@-]{3,64}$/;

export const PASSWORD_MIN_CHARACTERS = 8;
/** bcrypt reads only the first 72 bytes; anything longer would be silently cut, so it is refused. */
export const PASSWORD_MAX_BYTES = 72;

/** A password made for someone (bootstrap, the admin CLI): 144 random bits, 24 URL-safe characters. */
export const generatePassword = (): string => randomBytes(18).toString('base64url');

/** Why a password is unacceptable, or null when it is fine. */
export function passwordProblem(password: unknown): string | null {
  if (typeof password !== 'string') return 'password must be a string';
  if ([...password].length < PASSWORD_MIN_CHARACTERS) {
    return `password must be at least ${PASSWORD_MIN_CHARACTERS} characters`;
  }
  if (Buffer.byteLength(password, 'utf8') > PASSWORD_MAX_BYTES) {
    return `password must be at most ${PASSWORD_MAX_BYTES} bytes in UTF-8 (bcrypt would ignore the rest)`;
  }
  if (password.includes('\0')) return 'password must not contain NUL characters';
  return null;
}

export function IsAcceptablePassword(options?: ValidationOptions): PropertyDecorator {
  return (target, propertyName) =>
    registerDecorator({
      name: 'isAcceptablePassword',
      target: target.constructor,
      propertyName: propertyName as string,
      options,
      validator: {
        validate: (value: unknown) => passwordProblem(value) === null,
        defaultMessage: (args) => passwordProblem(args?.value) ?? 'password is not acceptable',
      },
    });
}
