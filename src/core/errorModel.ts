/**
 * Joins an import's per-SKU errors with the SKU index: where each failed SKU is defined.
 * The tree and the Problems panel both render this one model, so they always agree.
 */
import { KIND_ORDER, kindLabel } from './presentation';
import { SkuIndex, SkuLocation } from './skuIndex';
import { ImportStatus, ItemKind, SkuError } from './types';

export interface LocatedError {
  readonly error: SkuError;
  /** Where the SKU is defined; empty when it is found in no catalog file (or is the empty SKU). */
  readonly locations: readonly SkuLocation[];
}

export interface ErrorGroup {
  readonly kind: ItemKind;
  readonly label: string;
  readonly errors: readonly LocatedError[];
}

export interface ErrorModel {
  readonly status: ImportStatus | undefined;
  readonly groups: readonly ErrorGroup[];
  /** Errors by the file that defines the SKU (the file key of the index). */
  readonly byFile: ReadonlyMap<string, readonly LocatedError[]>;
}

export const EMPTY_MODEL: ErrorModel = { status: undefined, groups: [], byFile: new Map() };

export function buildErrorModel(status: ImportStatus | undefined, index: SkuIndex): ErrorModel {
  if (!status) return EMPTY_MODEL;
  const byKind = new Map<ItemKind, LocatedError[]>();
  const byFile = new Map<string, LocatedError[]>();
  for (const error of status.errors) {
    const locations = error.sku === '' ? [] : index.lookup(error.sku);
    const located: LocatedError = { error, locations };
    let list = byKind.get(error.kind);
    if (!list) byKind.set(error.kind, (list = []));
    list.push(located);
    for (const loc of locations) {
      let f = byFile.get(loc.file);
      if (!f) byFile.set(loc.file, (f = []));
      f.push(located);
    }
  }
  const groups: ErrorGroup[] = [];
  for (const kind of KIND_ORDER) {
    const errors = byKind.get(kind);
    if (errors?.length) groups.push({ kind, label: kindLabel(kind), errors });
  }
  return { status, groups, byFile };
}
