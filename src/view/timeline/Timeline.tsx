// Being written (see the explorer issue); replaced by the real view.
export function Timeline() {
  return <section className="panel" aria-label="Timeline" />;
}
