/** Domain types of the import status API, normalised from the wire format. Never imports `vscode`. */

export type ImportState = 'initialized' | 'process' | 'done' | 'error' | 'unknown';

/** Item kinds after normalisation of the wire's `type` (enum values, `virtual_items`, `vi`, null, anything else). */
export type ItemKind = 'virtual_good' | 'virtual_currency' | 'virtual_currency_packages' | 'bundle' | 'unknown';

export interface SkuError {
  readonly sku: string;
  readonly kind: ItemKind;
  /** The type as the server sent it (may be null or a value outside the enum). */
  readonly rawType: string | null;
  /** Per-SKU `error_code`; null when the server sent none or a non-number. */
  readonly code: number | null;
  /** The message without its `[SSSS-CCCC]: ` prefix. */
  readonly message: string;
  /** The message as sent, prefix included. */
  readonly fullMessage: string;
}

export interface ImportStatus {
  readonly state: ImportState;
  /** The `status` value as sent, for the log and for unknown states. */
  readonly rawState: string;
  readonly dateCreated?: Date;
  readonly dateUpdated?: Date;
  readonly dateCompleted?: Date;
  /** 0..100, clamped. */
  readonly progress: number;
  /** General import error, when present. */
  readonly error?: string;
  readonly errorCode?: string;
  readonly errorsCount: number;
  readonly totalEntities: number;
  readonly errors: readonly SkuError[];
  /** What was odd in the body but tolerated (wrong types, clamped values). Logged, never shown as failures. */
  readonly notes: readonly string[];
}

export interface Credentials {
  readonly projectId: number;
  readonly apiKey: string;
}

export type ImportMode = 'create' | 'create_and_update' | 'sync';

export function isActive(state: ImportState): boolean {
  return state === 'initialized' || state === 'process';
}

export function isFinal(state: ImportState): boolean {
  return state === 'done' || state === 'error';
}
