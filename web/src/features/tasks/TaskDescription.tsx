// What a task's author wrote beside its title (a follow-up's "Ask for redlines by Friday"),
// shown wherever the task is listed with its actions: the Tasks page and the customer page.
// Before, the description typed into Create Follow-up Task was stored and shown nowhere.
export function TaskDescription({ text }: { text: string | null | undefined }) {
  const shown = text?.trim();
  return shown ? <p className="task-description small">{shown}</p> : null;
}
