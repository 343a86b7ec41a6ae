// Being written (see the explorer issue); replaced by the real view.
export function Narration() {
  return <section className="panel" aria-label="Narration" />;
}
