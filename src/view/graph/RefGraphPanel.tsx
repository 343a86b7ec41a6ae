// Being written (see the explorer issue); replaced by the real view.
export function RefGraphPanel() {
  return <section className="panel" aria-label="RefGraphPanel" />;
}
