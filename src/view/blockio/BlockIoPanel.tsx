// Being written (see the explorer issue); replaced by the real view.
export function BlockIoPanel() {
  return <section className="panel" aria-label="BlockIoPanel" />;
}
