import { registerDecorator, type ValidationOptions } from 'class-validator';

/**
 * Why `value` is not acceptable note text of at most `max` characters, or null.
 * Characters are Unicode code points, as PostgreSQL's varchar counts them
 * (class-validator's MaxLength counts differently and would let a value
 * through that the column then refuses). NUL and lone surrogates are refused
 * because PostgreSQL cannot store the one and UTF-8 cannot encode the other.
 */
export function noteTextProblem(value: unknown, field: string, max: number): string | null {
  if (typeof value !== 'string') return `${field} must be a string`;
  if (!/\S/u.test(value)) return `${field} must not be empty`;
  if ([...value].length > max) return `${field} must be at most ${max} characters`;
  if (value.includes('\0')) return `${field} must not contain NUL characters`;
  if (/\p{Cs}/u.test(value)) return `${field} must be valid Unicode text`;
  return null;
}

export function IsNoteText(max: number, options?: ValidationOptions): PropertyDecorator {
  return (target, propertyName) =>
    registerDecorator({
      name: 'isNoteText',
      target: target.constructor,
      propertyName: propertyName as string,
      constraints: [max],
      options,
      validator: {
        validate: (value: unknown) => noteTextProblem(value, propertyName as string, max) === null,
        defaultMessage: (args) => noteTextProblem(args?.value, propertyName as string, max) ?? `${String(propertyName)} is not acceptable`,
      },
    });
}
