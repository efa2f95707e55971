/**
 * Ready-made import scenarios for the simulator. Each builder returns a fresh Scenario object.
 * Dates are filled in by the simulator unless a step sets them (see simulator.ts).
 */
import type { Scenario, StatusBody } from './simulator';

/** One entry of `result.errors_by_sku` as the wire carries it (types left loose on purpose). */
export interface SkuErrorBody {
  sku: unknown;
  type: unknown;
  error_code: unknown;
  error_message: unknown;
  [k: string]: unknown;
}

export type Advance = Scenario['advance'];

/** The two entries of the documented example. */
export const DOC_EXAMPLE_ERRORS: SkuErrorBody[] = [
  { sku: 'com.xsolla.sword_1', type: 'virtual_items', error_code: 4055, error_message: '[0401-4055]: Item default price not set' },
  { sku: '', type: null, error_code: 1817, error_message: "[0410-1817]: SKU can't be empty" },
];

export interface ProgressingOptions {
  /** Per-SKU errors of the finished import; they show up gradually while it runs. Default none. */
  errors?: SkuErrorBody[];
  /** total_entities_count. Default 10. */
  total?: number;
  /** Progress values, one per step. Default [0, 20, 45, 70, 100]. */
  steps?: number[];
  /** Status of the last step. Default 'done'. */
  finalStatus?: 'done' | 'error';
  /** Default one step per request. */
  advance?: Advance;
  loop?: boolean;
}

/**
 * initialized (progress 0) → process … → done|error. Errors found so far are reported in every step
 * (a share of `errors` proportional to progress); the last step has all of them.
 * A final 'error' step carries a general error, a string error_code and `date_completed: ""`.
 */
export function progressingImport(opts: ProgressingOptions = {}): Scenario {
  const errors = opts.errors ?? [];
  const total = opts.total ?? 10;
  const progress = opts.steps && opts.steps.length > 0 ? opts.steps : [0, 20, 45, 70, 100];
  const finalStatus = opts.finalStatus ?? 'done';
  const last = progress.length - 1;
  const steps: StatusBody[] = progress.map((p, i) => {
    const isLast = i === last;
    const shown = isLast ? errors : errors.slice(0, Math.floor((errors.length * Math.max(0, Math.min(100, p))) / 100));
    const step: StatusBody = {
      status: isLast ? finalStatus : i === 0 && p === 0 ? 'initialized' : 'process',
      progress: p,
      error: null,
      error_code: null,
      result: {
        errors_count: shown.length,
        total_entities_count: total,
        errors_by_sku: shown.map((e) => ({ ...e })),
      },
    };
    if (!isLast) step.date_completed = '';
    if (isLast && finalStatus === 'error') {
      step.error = 'Import interrupted: the import file could not be processed';
      step.error_code = '1806';
      step.date_completed = '';
    }
    return step;
  });
  return { name: `progressing-${finalStatus}`, steps, advance: opts.advance ?? { perRequest: true }, loop: opts.loop ?? false };
}

/** Every documented quirk in one finished body. */
export function quirkyImport(): Scenario {
  return {
    name: 'quirky',
    advance: { perRequest: true },
    steps: [
      {
        status: 'error',
        progress: 100,
        error: null,
        error_code: '1817',
        date_completed: '',
        result: {
          errors_count: 6,
          total_entities_count: 12,
          errors_by_sku: [
            { sku: 'com.example.sword_iron', type: 'virtual_items', error_code: 4055, error_message: '[0401-4055]: Item default price not set' },
            { sku: 'com.example.shield_oak', type: 'vi', error_code: 4055, error_message: '[0401-4055]: Item default price not set' },
            { sku: 'com.example.mystery', type: null, error_code: 4001, error_message: '[0401-4001]: Item not found' },
            { sku: 'com.example.gems_pack_500', type: 'virtual_currency_packages', error_code: 1002, error_message: '[0401-1002]: Virtual currency not found' },
            { sku: 'com.example.starter_bundle', type: 'bundle', error_code: 4021, error_message: '[0401-4021]: Bundle content is invalid' },
            { sku: '', type: null, error_code: 1817, error_message: "[0410-1817]: SKU can't be empty" },
          ],
        },
      },
    ],
  };
}

/** A finished import without errors. */
export function idleDone(): Scenario {
  return {
    name: 'idle',
    advance: { perRequest: true },
    steps: [
      {
        status: 'done',
        progress: 100,
        error: null,
        error_code: null,
        result: { errors_count: 0, total_entities_count: 10, errors_by_sku: [] },
      },
    ],
  };
}

/** An import that failed as a whole: general error, string error_code, empty date_completed. */
export function failedImport(): Scenario {
  return {
    name: 'failed',
    advance: { perRequest: true },
    steps: [
      {
        status: 'error',
        progress: 0,
        error: 'The import file is not valid JSON: unexpected token at position 1024',
        error_code: '1806',
        date_completed: '',
        result: { errors_count: 0, total_entities_count: 0, errors_by_sku: [] },
      },
    ],
  };
}

/** The SKU errors of the demo; they reference the sample workspace in test/fixtures/catalog-workspace. */
export const DEMO_ERRORS: SkuErrorBody[] = [
  { sku: 'com.example.sword_iron', type: 'virtual_items', error_code: 4055, error_message: '[0401-4055]: Item default price not set' },
  { sku: 'com.example.gems_pack_500', type: 'virtual_currency_packages', error_code: 1002, error_message: '[0401-1002]: Virtual currency not found' },
  { sku: 'com.example.starter_bundle', type: 'bundle', error_code: 4021, error_message: '[0401-4021]: Bundle content is invalid' },
  { sku: 'com.example.ghost_item', type: 'vi', error_code: 4055, error_message: '[0401-4055]: Item default price not set' },
  { sku: '', type: null, error_code: 1817, error_message: "[0410-1817]: SKU can't be empty" },
];

export const DEMO_STEP_MS = 1500;
/** How long the demo stays done before the next import starts (when looping). */
export const DEMO_DONE_MS = 20_000;

/** About 1.5 s per step through 0, 15, 35, 60, 85, 100, then done for about 20 s, then (loop) a new import. */
export function demoImport(loop = true): Scenario {
  const base = progressingImport({ errors: DEMO_ERRORS, total: 13, steps: [0, 15, 35, 60, 85, 100], finalStatus: 'done' });
  const doneStep = base.steps[base.steps.length - 1];
  const extra = Math.round(DEMO_DONE_MS / DEMO_STEP_MS);
  const steps = [...base.steps];
  for (let i = 0; i < extra; i++) steps.push(JSON.parse(JSON.stringify(doneStep)) as StatusBody);
  return { name: 'demo', steps, advance: { everyMs: DEMO_STEP_MS }, loop };
}

export const SCENARIOS: Record<string, () => Scenario> = {
  demo: () => demoImport(true),
  quirky: quirkyImport,
  failed: failedImport,
  idle: idleDone,
  progressing: () => progressingImport(),
};
