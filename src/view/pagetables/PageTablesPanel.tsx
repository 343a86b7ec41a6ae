// Being written (see the explorer issue); replaced by the real view.
export function PageTablesPanel() {
  return <section className="panel" aria-label="PageTablesPanel" />;
}
