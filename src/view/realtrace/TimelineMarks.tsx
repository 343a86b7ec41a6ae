// Red marks on the timeline track at the steps where an imported real trace and the simulation differ.

import type { StepScale } from '../timeline/layout';
import { disagreementSteps, type Alignment } from '../../store/realtrace';

/** The marks as SVG (a plain function: the timeline calls it with its scale). */
export function timelineMarks(alignment: Alignment | null, scale: StepScale) {
  if (!alignment) return null;
  const steps = disagreementSteps(alignment);
  return (
    <g className="rt-tl-marks">
      {steps.map((d) => (
        <g key={d.step} className="rt-tl-mark" data-testid="rt-timeline-mark" data-step={d.step} transform={`translate(${Math.round(scale(d.step)) + 0.5},0)`}>
          <title>{`The real kernel differs at line${d.lines.length > 1 ? 's' : ''} ${d.lines.join(', ')}`}</title>
          <path d="M-5,2 L5,2 L0,10 Z" />
          <line y1={10} y2={40} />
        </g>
      ))}
    </g>
  );
}
