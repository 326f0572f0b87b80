// Request bodies of the `chat` and `complete-thread` Edge Functions. The web app imports
// these too, so a body the UI builds is validated by the same schema the function uses.
import { z } from 'zod';

// z.guid(): any 8-4-4-4-12 hex id (z.uuid() would also demand an RFC variant nibble).
export const ChatRequestBody = z.object({
  thread_id: z.guid({ message: 'thread_id must be a UUID' }),
  content: z
    .string({ message: 'content must be text' })
    .max(20_000, { message: 'content is longer than 20000 characters' })
    .refine((s) => s.trim() !== '', { message: 'content must not be empty' }),
  client_message_id: z
    .string({ message: 'client_message_id must be text' })
    .min(1, { message: 'client_message_id must not be empty' })
    .max(200, { message: 'client_message_id is longer than 200 characters' }),
});
export type ChatRequestBody = z.infer<typeof ChatRequestBody>;

export const CompleteThreadRequestBody = z.object({
  thread_id: z.guid({ message: 'thread_id must be a UUID' }),
});
export type CompleteThreadRequestBody = z.infer<typeof CompleteThreadRequestBody>;
