// What a task's author wrote beside its title (a follow-up's "Ask for redlines by Friday"),
// shown wherever the task is listed: the Tasks page, the customer page and its workflow's
// Tasks and meetings.
// Before, the description typed into Create Follow-up Task was stored and shown nowhere.
export function TaskDescription({ text }: { text: string | null | undefined }) {
  const shown = text?.trim();
  return shown ? <p className="task-description small">{shown}</p> : null;
}
