// Tasks: the person's list, one task, its changes and what the lists offer.
import { z } from 'zod';
import { JsonArg, JsonObject } from './json.ts';
import { Artifact, CustomerRef, LookupEntries, PersonRef, Task } from './shapes.ts';

/** A task in a list: with its customer and assignee. */
export const TaskRow = Task.extend({
  customer: CustomerRef,
  customer_name: z.string(),
  assignee: PersonRef.nullable(),
});
export type TaskRow = z.infer<typeof TaskRow>;

export const act_on_task = {
  args: z.object({
    action: z.string(),
    /** The same key with the same request answers what the first answered (docs/api-contract.md). */
    idempotency_key: z.string().nullish(),
    params: JsonArg.nullish(),
    task_id: z.string(),
  }),
  result: Task,
};

export const create_task = {
  args: z.object({
    assigned_to: z.string().nullish(),
    customer_id: z.string(),
    description: z.string().nullish(),
    due_date: z.string().nullish(),
    execution_id: z.string().nullish(),
    /** The same key with the same request answers the task it made (docs/api-contract.md). */
    idempotency_key: z.string().nullish(),
    priority: z.string().nullish(),
    task_type: z.string().nullish(),
    title: z.string(),
  }),
  result: Task,
};

export const delete_task = {
  args: z.object({
    task_id: z.string(),
  }),
  result: z.object({
    id: z.string(),
    deleted: z.boolean(),
  }),
};

export const get_task = {
  args: z.object({
    task_id: z.string(),
  }),
  result: Task.extend({
    artifacts: z.array(Artifact.pick({
      id: true, title: true, content: true, version: true, created_at: true, approved_at: true, artifact_type: true,
    })),
  }),
};

export const list_task_options = {
  args: z.object({}),
  result: z.object({
    priorities: LookupEntries,
    task_types: LookupEntries,
  }),
};

export const list_tasks = {
  args: z.object({
    cursor: z.string().nullish(),
    customer_id: z.string().nullish(),
    execution_id: z.string().nullish(),
    filters: JsonArg.nullish(),
    page_size: z.number().nullish(),
    sort: z.string().nullish(),
    status: z.string().nullish(),
  }),
  result: z.object({
    sort: z.string(),
    items: z.array(TaskRow),
    next_cursor: z.string().nullable(),
  }),
};

export const update_task = {
  args: z.object({
    changes: JsonArg,
    task_id: z.string(),
  }),
  result: Task,
};
