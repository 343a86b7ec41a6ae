// Being written (see the explorer issue); replaced by the real view.
export function WhyPanel() {
  return <section className="panel" aria-label="WhyPanel" />;
}
