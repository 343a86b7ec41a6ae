// Being written (see the explorer issue); replaced by the real view.
export function MemoryPanel() {
  return <section className="panel" aria-label="MemoryPanel" />;
}
