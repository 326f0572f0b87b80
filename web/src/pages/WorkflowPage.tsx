export function WorkflowPage({ executionId }: { executionId: string }) {
  return <div className="page"><h1>Workflow</h1><p className="muted">{executionId}</p></div>;
}
