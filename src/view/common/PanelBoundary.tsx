// An error boundary around one panel: a view that throws shows what went wrong and a report to paste into an
// issue (scenario, kernel, step, message), while every other panel keeps working.

import { Component, type ErrorInfo, type ReactNode } from 'react';
import { useExplorer } from '../../store/explorer';

interface Props {
  /** The panel's name, for the message and the report. */
  name: string;
  children: ReactNode;
}

interface State {
  error: Error | null;
}

/** The report text for a failed panel, from what the store shows now. */
export function errorReport(panel: string, error: Error): string {
  const s = useExplorer.getState();
  return [
    `pinscope: the ${panel} panel failed`,
    `scenario: ${s.scenarioId ?? `(edited) ${s.run?.title ?? ''}`.trim()}`,
    `kernel: ${s.run?.kernel.label ?? s.kernelSpec ?? '(none)'}${s.compareSpec ? ` (compare: ${s.compareSpec})` : ''}`,
    `step: ${s.step}`,
    `message: ${error.message}`,
  ].join('\n');
}

export class PanelBoundary extends Component<Props, State> {
  override state: State = { error: null };

  static getDerivedStateFromError(error: unknown): State {
    return { error: error instanceof Error ? error : new Error(String(error)) };
  }

  override componentDidCatch(error: Error, info: ErrorInfo): void {
    console.error(`pinscope: the ${this.props.name} panel failed`, error, info.componentStack);
  }

  override render(): ReactNode {
    const { error } = this.state;
    if (!error) return this.props.children;
    const report = errorReport(this.props.name, error);
    return (
      <section className="panel panel-error" role="alert" aria-label={`${this.props.name} (failed)`}>
        <header className="panel-title">{this.props.name}</header>
        <div className="panel-error-body">
          <p>
            This panel failed: <strong>{error.message}</strong>. The rest of pinscope keeps working.
          </p>
          <label className="hint" htmlFor={`report-${this.props.name}`}>
            Report (paste it into an issue)
          </label>
          <textarea id={`report-${this.props.name}`} className="panel-error-report" readOnly value={report} rows={5} />
          <button type="button" onClick={() => this.setState({ error: null })}>
            Try again
          </button>
        </div>
      </section>
    );
  }
}
