/**
 * Joins an import's per-SKU errors with the SKU index: where each failed SKU is defined, and whether
 * it is new since the previous import. The tree and the Problems panel both render this one model,
 * so they always agree.
 */
import { Comparison } from './history';
import { KIND_ORDER, kindLabel } from './presentation';
import { SkuIndex, SkuLocation } from './skuIndex';
import { ImportStatus, ItemKind, SkuError } from './types';

export interface LocatedError {
  readonly error: SkuError;
  /** Where the SKU is defined; empty when it is found in no catalog file (or is the empty SKU). */
  readonly locations: readonly SkuLocation[];
  /** Failing now, but not in the previous import. */
  readonly isNew: boolean;
}

export interface ErrorGroup {
  readonly kind: ItemKind;
  readonly label: string;
  readonly errors: readonly LocatedError[];
}

export interface ErrorModel {
  readonly status: ImportStatus | undefined;
  readonly comparison?: Comparison;
  readonly groups: readonly ErrorGroup[];
  /** Errors by the file that defines the SKU (the file key of the index). */
  readonly byFile: ReadonlyMap<string, readonly LocatedError[]>;
}

export interface ModelOptions {
  readonly comparison?: Comparison;
  /** Only files under these prefixes belong to this project (multi-root); empty or absent = all. */
  readonly folders?: readonly string[];
}

export const EMPTY_MODEL: ErrorModel = { status: undefined, groups: [], byFile: new Map() };

export function buildErrorModel(status: ImportStatus | undefined, index: SkuIndex, options: ModelOptions = {}): ErrorModel {
  if (!status) return EMPTY_MODEL;
  const folders = options.folders?.length ? options.folders : undefined;
  const inScope = (loc: SkuLocation) => !folders || folders.some((f) => loc.file.startsWith(f));
  const added = options.comparison?.added;
  const byKind = new Map<ItemKind, LocatedError[]>();
  const byFile = new Map<string, LocatedError[]>();
  for (const error of status.errors) {
    const found = error.sku === '' ? [] : index.lookup(error.sku);
    const locations = folders ? found.filter(inScope) : found;
    const located: LocatedError = { error, locations, isNew: !!added?.has(error.sku) };
    let list = byKind.get(error.kind);
    if (!list) byKind.set(error.kind, (list = []));
    list.push(located);
    for (const loc of locations) {
      let f = byFile.get(loc.file);
      if (!f) byFile.set(loc.file, (f = []));
      if (f[f.length - 1] !== located) f.push(located);
    }
  }
  const groups: ErrorGroup[] = [];
  for (const kind of KIND_ORDER) {
    const errors = byKind.get(kind);
    if (errors?.length) groups.push({ kind, label: kindLabel(kind), errors });
  }
  return { status, comparison: options.comparison, groups, byFile };
}
