import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { RawServerDefault } from 'fastify';
import { isUtf8 } from 'node:buffer';
import { UnreadableRequestException, UnsupportedCharsetException } from '../filters/all-exceptions.filter.js';

/** Largest request body accepted; OAuth and admin requests are tiny. Larger bodies get 413. */
export const BODY_LIMIT_BYTES = 64 * 1024;

/** No request of ours nests deeper; a deeper body would only exhaust the validator's recursion. */
const MAX_JSON_DEPTH = 32;

/**
 * JSON and form bodies must be UTF-8 (RFC 8259 §8.1, RFC 6749 Appendix B), and
 * so must what a form percent-encodes: a body declaring another charset gets
 * `415`, and an invalid sequence is refused, never
 * replaced by U+FFFD, so two different byte strings cannot become the same
 * password. JSON is parsed by Fastify's own parser (prototype poisoning
 * refused), then held to MAX_JSON_DEPTH. A form keeps a repeated name as an
 * array, which OAuth then refuses as a duplicated parameter.
 */
export function useStrictBodyParsers(app: NestFastifyApplication): void {
  const json = app.getHttpAdapter().getInstance().getDefaultJsonParser('error', 'error');
  app.useBodyParser<RawServerDefault>('application/json', { bodyLimit: BODY_LIMIT_BYTES }, (request, body, done) => {
    const charset = foreignCharset(request.headers['content-type']);
    if (charset) {
      done(charset, undefined);
      return;
    }
    if (!isUtf8(body)) {
      done(new UnreadableRequestException('The JSON body is not valid UTF-8'), undefined);
      return;
    }
    void json(request, body.toString('utf8'), (error: Error | null, parsed?: unknown) => {
      if (error) {
        done(error, undefined);
        return;
      }
      // Every route takes an object (a list at most): a bare null would read as an empty body.
      if (parsed === null || typeof parsed !== 'object') {
        done(new UnreadableRequestException('The JSON body must be an object'), undefined);
        return;
      }
      if (nestingDepth(parsed) > MAX_JSON_DEPTH) {
        done(new UnreadableRequestException(`The JSON body is nested deeper than ${MAX_JSON_DEPTH} levels`), undefined);
        return;
      }
      done(null, parsed);
    });
  });
  app.useBodyParser<RawServerDefault>('application/x-www-form-urlencoded', { bodyLimit: BODY_LIMIT_BYTES }, (request, body, done) => {
    const charset = foreignCharset(request.headers['content-type']);
    if (charset) {
      done(charset, undefined);
      return;
    }
    if (!isUtf8(body)) {
      done(new UnreadableRequestException('The form body is not valid UTF-8'), undefined);
      return;
    }
    try {
      done(null, parseForm(body.toString('utf8')));
    } catch (error) {
      done(error as Error, undefined);
    }
  });
}

const CHARSET_PARAMETER = /;\s*charset\s*=\s*(?:"([^"]*)"|([^;\s]*))/i;

/** The refusal of a declared charset that is not UTF-8 (any case, quoted or not); null when there is none or it is UTF-8. */
export function foreignCharset(contentType: string | undefined): UnsupportedCharsetException | null {
  const match = CHARSET_PARAMETER.exec(contentType ?? '');
  if (!match) return null;
  const [, quoted, bare] = match as (string | undefined)[];
  const charset = (quoted ?? bare ?? '').trim();
  if (/^utf-?8$/i.test(charset)) return null;
  return new UnsupportedCharsetException(`The body must be UTF-8; charset=${charset.slice(0, 40).replace(/[^\x21-\x7e]/g, '?')} is not supported`);
}

/** application/x-www-form-urlencoded, strictly: malformed percent-encoding is refused, not passed through. */
function parseForm(text: string): Record<string, string | string[] | undefined> {
  // No prototype: a field named like an Object method is just a field.
  const form = Object.create(null) as Record<string, string | string[] | undefined>;
  for (const pair of text.split('&')) {
    if (pair === '') continue;
    const eq = pair.indexOf('=');
    const name = formDecode(eq < 0 ? pair : pair.slice(0, eq));
    const value = eq < 0 ? '' : formDecode(pair.slice(eq + 1));
    // Copied onto an ordinary object later, it would replace that object's prototype.
    if (name === '__proto__') throw new UnreadableRequestException('Object contains forbidden prototype property');
    const previous = form[name];
    form[name] = previous === undefined ? value : [...(Array.isArray(previous) ? previous : [previous]), value];
  }
  return form;
}

function formDecode(component: string): string {
  const decoded = decodeFormComponent(component);
  if (decoded === null) {
    throw new UnreadableRequestException('The form body has malformed percent-encoding (or encodes something that is not UTF-8)');
  }
  return decoded;
}

/** One application/x-www-form-urlencoded component ("+" is a space), or null when it is malformed. */
export function decodeFormComponent(component: string): string | null {
  try {
    return decodeURIComponent(component.replace(/\+/g, ' '));
  } catch {
    return null;
  }
}

/** Depth of nested arrays and objects, without recursion (the input may be 64 KiB of brackets). */
function nestingDepth(value: unknown): number {
  let deepest = 0;
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length) {
    const [item, depth] = stack.pop()!;
    if (item === null || typeof item !== 'object') continue;
    deepest = Math.max(deepest, depth + 1);
    if (deepest > MAX_JSON_DEPTH) return deepest;
    for (const child of Object.values(item)) stack.push([child, depth + 1]);
  }
  return deepest;
}
