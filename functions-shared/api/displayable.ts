// The displayable-text rule on a zod string (functions-shared/text.ts isDisplayableText, the
// database's app.text_is_displayable): the Edge Functions and the MCP server refuse a name,
// a title or a body holding a control character or a text-direction override with the
// database's words before any call, and the database refuses the same again.
import { z } from 'zod';
import { isDisplayableText, UNDISPLAYABLE_TEXT_MESSAGE } from '../text.ts';

/**
 * `schema` refined by the rule: one line (a name, a title) unless `multiLine` (a message, a
 * note, a body). With `name`, the message names the field (for bodies whose issues carry no path).
 */
export function displayable<S extends z.ZodType<string>>(schema: S, options: { multiLine?: boolean; name?: string } = {}): S {
  const message = options.name ? `${options.name} ${UNDISPLAYABLE_TEXT_MESSAGE}` : UNDISPLAYABLE_TEXT_MESSAGE;
  return schema.refine((value) => isDisplayableText(value, options.multiLine ?? false), { message }) as S;
}
