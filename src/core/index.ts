// The public surface of the simulator. Everything outside src/core imports from here.
export { simulate, type SimulateOptions, type SimulateOutcome } from './interp';
export { Run, type RunParts } from './run';
export type { SimProgress } from './sim';
export { packRun, unpackRun, packedTransferables, RunUnpacker, type PackedRun } from './packed';
export type { Snapshot, FolioView, HolderView, TaskView, PteView, VmaView, BioView, BvecView, DioView, HandleView } from './snapshot';
export type { SimEvent, EventKind, Finding, FindingKind, ExpectationResult, Chapter, ShownViews } from './events';
export { VIEW_NAMES, type ViewName } from './ast';
export { VIOLATION_KINDS, ERRNO, errnoName, elixirLink } from './events';
export { PRESETS, TOGGLES, DEFAULT_PRESET, findPreset, resolveKernel, type KernelConfig, type KernelPolicy, type Preset, type ToggleSpec, type ResolvedKernel } from './policy';
export { checkKernelSpec, checkKernelWords, formatKernelSpecError, parseKernelSpec, splitKernelWords, type KernelSpecCheck, type KernelSpecError, type SpecWord } from './kernelspec';
export { didYouMean, suggest } from './suggest';
export { walkIndices, LEVELS } from './mm';
export {
  HOLDER_KINDS,
  HOLDER_KIND_LABELS,
  describeHolder,
  holder,
  holderClass,
  holderKey,
  holderKind,
  isLeak,
  kindsOfClass,
  leakOwner,
  parseHolder,
  shortHolderLabel,
  type Holder,
  type HolderClass,
  type HolderKey,
  type HolderKind,
} from './holders';
export { GUP_PIN_COUNTING_BIAS, PAGE_SIZE, PMD_SIZE, type FolioKind } from './state';
export { formatTrace } from './trace';
export type { Catalog, CatalogFolio, CatalogHolder } from './catalog';
export { MODEL_VERSION } from './model';
