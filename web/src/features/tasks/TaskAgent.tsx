// Which AI agent created a task for its person (created_by_agent, the MCP server's attestation:
// migration 20261215400200), said wherever the task is listed, as a draft says "drafted by the
// agent" and a note "logged by the agent": the Tasks page, the customer page and its
// workflow's Tasks and meetings. A person's own task, the assistant's and the engine's say nothing.
export function TaskAgent({ agent }: { agent: string | null | undefined }) {
  const name = agent?.trim();
  return name ? <p className="task-agent small muted">created by the agent {name}</p> : null;
}
