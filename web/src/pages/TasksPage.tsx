export function TasksPage() {
  return <div className="page"><h1>Tasks</h1></div>;
}
