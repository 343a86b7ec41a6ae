// The engine for each kind of file.

import type { Dio } from '../state';
import type { DioEngine, FsKind } from './engine';
import { legacyEngine } from './legacy';
import { iomapEngine } from './iomap';
import { blockdevEngine } from './blockdev';

export const ENGINES: Readonly<Record<FsKind, DioEngine>> = {
  legacy: legacyEngine,
  iomap: iomapEngine,
  blockdev: blockdevEngine,
};

export function engineOf(dio: Dio): DioEngine {
  return ENGINES[dio.engine];
}
