// The hatching that makes the shared zero page and the huge zero folio unmistakable in every view.
// Each SVG defines its own copy under its own id prefix (ids must be unique in the document).

import { KIND_COLOR } from './palette';

export function ZeroHatches({ zeroId, hugeZeroId }: { zeroId: string; hugeZeroId: string }) {
  return (
    <>
      <pattern id={zeroId} patternUnits="userSpaceOnUse" width="7" height="7" patternTransform="rotate(45)">
        <rect width="7" height="7" style={{ fill: KIND_COLOR.zero }} opacity="0.16" />
        <line x1="0" y1="0" x2="0" y2="7" style={{ stroke: KIND_COLOR.zero }} strokeWidth="3" opacity="0.55" />
      </pattern>
      <pattern id={hugeZeroId} patternUnits="userSpaceOnUse" width="7" height="7" patternTransform="rotate(-45)">
        <rect width="7" height="7" style={{ fill: KIND_COLOR.hugezero }} opacity="0.16" />
        <line x1="0" y1="0" x2="0" y2="7" style={{ stroke: KIND_COLOR.hugezero }} strokeWidth="3" opacity="0.55" />
      </pattern>
    </>
  );
}
