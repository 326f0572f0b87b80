// The displayable-text rule on a zod string (functions-shared/text.ts isDisplayableText, the
// database's app.text_is_displayable): the Edge Functions and the MCP server refuse a name,
// a title or a body holding a control character or a text-direction override with the
// database's words before any call, and the database refuses the same again.
import { z } from 'zod';
import { isDisplayableText, isOneLineField, UNDISPLAYABLE_TEXT_MESSAGE } from '../text.ts';

/**
 * `schema` refined by the rule: one line (a name, a title) unless `multiLine` (a message, a
 * note, a body). With `name`, the message names the field (for bodies whose issues carry no path).
 */
export function displayable<S extends z.ZodType<string>>(schema: S, options: { multiLine?: boolean; name?: string } = {}): S {
  const message = options.name ? `${options.name} ${UNDISPLAYABLE_TEXT_MESSAGE}` : UNDISPLAYABLE_TEXT_MESSAGE;
  return schema.refine((value) => isDisplayableText(value, options.multiLine ?? false), { message }) as S;
}

/**
 * A JSON object (`schema`) refined by the rule at any depth, as the database's
 * app.require_displayable_json asks a stored one: every key is one line, every text one line
 * or several as isOneLineField says. Each refusal names where it is (`metadata.owner.name`);
 * a refused key is named by the object that holds it, never quoted back.
 */
export function displayableJson<S extends z.ZodType<Record<string, unknown>>>(schema: S): S {
  return schema.superRefine((value, ctx) => {
    for (const refusal of undisplayableIn(value, [], '')) {
      ctx.addIssue({ code: 'custom', path: refusal.at, message: refusal.key ? `a key ${UNDISPLAYABLE_TEXT_MESSAGE}` : UNDISPLAYABLE_TEXT_MESSAGE });
    }
  }) as S;
}

type Refusal = { at: (string | number)[]; key: boolean };

// Where `value` breaks the rule: `at` is the zod path, `field` the database's path of it.
function undisplayableIn(value: unknown, at: (string | number)[], field: string): Refusal[] {
  if (typeof value === 'string') return isDisplayableText(value, !isOneLineField(field)) ? [] : [{ at, key: false }];
  if (Array.isArray(value)) return value.flatMap((item, i) => undisplayableIn(item, [...at, i], `${field}[${i}]`));
  if (value === null || typeof value !== 'object') return [];
  // A refused key is the refusal: what it holds is named by it, so it is not walked.
  return Object.entries(value).flatMap(([key, item]) =>
    isDisplayableText(key) ? undisplayableIn(item, [...at, key], `${field}.${key}`) : [{ at, key: true }]);
}
