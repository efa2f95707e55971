/**
 * Seeded synthetic catalog workspace for the benchmark: ~1,000 JSON files, 200,000 item definitions
 * across the four item types, bundles and currency packages whose content[] references other SKUs,
 * vc_prices[] references to currencies, localized names and descriptions (some non-ASCII), prices,
 * attributes and media lists; ~230 MB in total. A few files are plain JSON without any SKU
 * (localization tables, config), as in a real repository.
 *
 * Generated once per (seed, version) into os.tmpdir() and reused: a `.complete` stamp is written last.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { seededRandom as rng } from '../random';

export const GENERATOR_VERSION = 8;
/** Items in the file the re-index measure edits (about 1 MB). */
const BIG_ITEMS = 900;

export interface Workspace {
  dir: string;
  /** Every JSON file, absolute paths, sorted. */
  files: string[];
  /** The file edited by the re-index measure (~1 MB). */
  bigFile: string;
  /** Some defined SKUs, in a seeded random order, to build error bodies from. */
  sampleSkus: string[];
  totalBytes: number;
  definitions: number;
}

interface Manifest {
  files: string[];
  bigFile: string;
  sampleSkus: string[];
  totalBytes: number;
  definitions: number;
}


const WORDS_EN = ['iron', 'sword', 'shield', 'ancient', 'dragon', 'crystal', 'pack', 'starter', 'legendary', 'gold', 'silver', 'potion',
  'armor', 'helmet', 'bow', 'arrow', 'magic', 'scroll', 'rune', 'epic', 'rare', 'common', 'boost', 'chest', 'key', 'gem', 'season',
  'pass', 'skin', 'emote', 'banner', 'mount', 'pet', 'trail', 'frame', 'bundle', 'offer', 'daily', 'weekly', 'limited', 'hero'];
const WORDS_DE = ['Eisen', 'Schwert', 'Schild', 'uralt', 'Drache', 'Kristall', 'Paket', 'Gold', 'Trank', 'Rüstung', 'Helm', 'Bogen',
  'Magie', 'Schriftrolle', 'selten', 'episch', 'Truhe', 'Schlüssel', 'Edelstein', 'Saison', 'Größe', 'für', 'Stärke'];
const WORDS_FR = ['fer', 'épée', 'bouclier', 'ancien', 'dragon', 'cristal', 'pack', 'or', 'potion', 'armure', 'casque', 'arc',
  'magie', 'parchemin', 'rare', 'épique', 'coffre', 'clé', 'gemme', 'saison', 'héros', 'très', 'puissant'];
const WORDS_RU = ['железный', 'меч', 'щит', 'древний', 'дракон', 'кристалл', 'набор', 'золото', 'зелье', 'броня', 'шлем', 'лук',
  'магия', 'свиток', 'редкий', 'эпический', 'сундук', 'ключ', 'самоцвет', 'сезон', 'герой'];
const WORDS_JA = ['鉄', '剣', '盾', '古代', 'ドラゴン', 'クリスタル', 'パック', '金', 'ポーション', '鎧', '兜', '弓', '魔法', '巻物',
  'レア', 'エピック', '宝箱', '鍵', '宝石', 'シーズン', '英雄'];
const CURRENCIES = ['USD', 'EUR', 'GBP', 'RUB', 'JPY', 'BRL', 'CNY', 'KRW', 'TRY', 'PLN'];
const GROUPS = ['weapons', 'armor', 'consumables', 'cosmetics', 'boosters', 'seasonal', 'featured', 'starter', 'vip', 'events'];

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

class Gen {
  constructor(readonly r: () => number) {}
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.r() * (hi - lo + 1));
  }
  pick<T>(a: readonly T[]): T {
    return a[Math.floor(this.r() * a.length)];
  }
  chance(p: number): boolean {
    return this.r() < p;
  }
  words(list: readonly string[], n: number, sep = ' '): string {
    const out: string[] = [];
    for (let i = 0; i < n; i++) out.push(this.pick(list));
    return out.join(sep);
  }
  sentence(list: readonly string[], lo: number, hi: number, sep = ' '): string {
    const s = this.words(list, this.int(lo, hi), sep);
    return s.charAt(0).toUpperCase() + s.slice(1) + (sep ? '.' : '。');
  }
  localized(short: boolean): Record<string, string> {
    const [lo, hi] = short ? [2, 4] : [3, 7];
    const o: Record<string, string> = { en: this.sentence(WORDS_EN, lo, hi) };
    if (this.chance(0.6)) o.de = this.sentence(WORDS_DE, lo, hi);
    if (this.chance(0.5)) o.fr = this.sentence(WORDS_FR, lo, hi);
    if (this.chance(0.5)) o.ru = this.sentence(WORDS_RU, lo, hi);
    if (this.chance(0.3)) o.ja = this.sentence(WORDS_JA, lo, hi, '');
    if (!short && this.chance(0.2)) o.es = this.sentence(WORDS_EN, lo, hi);
    return o;
  }
  price(): Json {
    const amount = this.int(49, 9999) / 100;
    return { amount, currency: this.pick(CURRENCIES), is_default: false };
  }
  prices(): Json[] {
    const n = this.int(1, 3);
    const out = [] as Json[];
    for (let i = 0; i < n; i++) out.push(this.price());
    (out[0] as Record<string, Json>).is_default = true;
    (out[0] as Record<string, Json>).currency = 'USD';
    return out;
  }
  media(kind: string, sku: string): Json[] {
    const n = this.int(0, 3) >> 1;
    const out: Json[] = [];
    for (let i = 0; i < n; i++) out.push({ type: this.chance(0.8) ? 'image' : 'video', url: `https://cdn.example.com/${kind}/${sku}/media_${i}.${this.chance(0.8) ? 'png' : 'mp4'}` });
    return out;
  }
  attributes(): Json[] {
    const n = this.chance(0.3) ? 1 : 0;
    const out: Json[] = [];
    for (let i = 0; i < n; i++) {
      const id = this.pick(['rarity', 'class', 'element', 'slot', 'tier']);
      out.push({
        external_id: id,
        name: { en: id, de: this.pick(WORDS_DE) },
        values: [{ external_id: `${id}_${this.int(1, 9)}`, value: { en: this.pick(WORDS_EN), de: this.pick(WORDS_DE) } }],
      });
    }
    return out;
  }
}

interface Plan {
  key: string;
  count: number;
}

function skuFor(prefix: string, game: number, n: number): string {
  return `com.xsolla.g${String(game).padStart(3, '0')}.${prefix}_${n}`;
}

/** Generates (or reuses) the workspace. */
export function generateWorkspace(seed = 42, log: (s: string) => void = () => undefined): Workspace {
  const dir = path.join(os.tmpdir(), `xsolla-bench-catalog-v${GENERATOR_VERSION}-s${seed}`);
  const stamp = path.join(dir, '.complete');
  if (fs.existsSync(stamp)) {
    const m = JSON.parse(fs.readFileSync(stamp, 'utf8')) as Manifest;
    return { dir, ...m, files: m.files.map((f) => path.join(dir, f)), bigFile: path.join(dir, m.bigFile) };
  }
  log(`generating the synthetic catalog in ${dir} (once per seed)…`);
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  const g = new Gen(rng(seed));

  const TOTAL = 200_000;
  const GAMES = 20;
  // Per game: currencies, items, packages, bundles (in that order, so references point backwards and forwards).
  const share: Record<string, number> = { virtual_currency: 0.02, virtual_items: 0.66, virtual_currency_package: 0.12, bundle: 0.2 };
  const perGame = TOTAL / GAMES;
  const files: string[] = [];
  const sampleSkus: string[] = [];
  let totalBytes = 0;
  let definitions = 0;
  let bigFile = '';

  for (let game = 0; game < GAMES; game++) {
    const gdir = path.join(dir, `game-${String(game).padStart(2, '0')}`, 'catalog');
    fs.mkdirSync(gdir, { recursive: true });
    const counts: Record<string, number> = {};
    let assigned = 0;
    for (const k of Object.keys(share)) assigned += counts[k] = Math.round(perGame * share[k]);
    counts.virtual_items += perGame - assigned;
    const currencies: string[] = [];
    const items: string[] = [];
    for (let i = 0; i < counts.virtual_currency; i++) currencies.push(skuFor('currency', game, i));
    for (let i = 0; i < counts.virtual_items; i++) items.push(skuFor('item', game, i));

    // Split each kind into files of varying size; ~48 catalog files per game.
    const plans: Plan[][] = [];
    const split = (key: string, total: number, avg: number) => {
      let left = total;
      while (left > 0) {
        let n = Math.min(left, Math.max(20, Math.round(avg * (0.3 + 1.4 * g.r()))));
        if (game === 0 && key === 'virtual_items' && left === total) n = Math.min(left, BIG_ITEMS); // the ~1 MB file
        plans.push([{ key, count: n }]);
        left -= n;
      }
    };
    split('virtual_currency', counts.virtual_currency, 100);
    split('virtual_items', counts.virtual_items, 220);
    split('virtual_currency_package', counts.virtual_currency_package, 200);
    split('bundle', counts.bundle, 200);

    const next: Record<string, number> = { virtual_currency: 0, virtual_items: 0, virtual_currency_package: 0, bundle: 0 };
    plans.forEach((plan, fi) => {
      const root: Record<string, Json> = {};
      for (const { key, count } of plan) {
        const arr: Json[] = [];
        for (let k = 0; k < count; k++) {
          const n = next[key]++;
          let item: Record<string, Json>;
          if (key === 'virtual_currency') {
            item = { sku: currencies[n], name: g.localized(true), description: g.localized(false), image_url: `https://cdn.example.com/vc/${currencies[n]}.png`, is_hard: g.chance(0.5), prices: g.prices(), order: n };
          } else if (key === 'virtual_items') {
            const sku = items[n];
            item = {
              sku,
              name: g.localized(true),
              description: g.localized(false),
              image_url: `https://cdn.example.com/items/${sku}.png`,
              media_list: g.media('items', sku),
              groups: [g.pick(GROUPS)],
              attributes: g.attributes(),
              prices: g.prices(),
              is_enabled: true,
              is_show_in_store: g.chance(0.9),
              order: n,
              inventory_options: { consumable: g.chance(0.4) ? { usages_count: g.int(1, 10) } : null, expiration_period: null },
            };
            if (g.chance(0.35)) item.vc_prices = [{ sku: g.pick(currencies), amount: g.int(10, 5000), is_default: true, is_enabled: true }];
            if (g.chance(0.2)) item.limits = { per_user: { total: g.int(1, 5) }, per_item: null };
          } else if (key === 'virtual_currency_package') {
            const sku = skuFor('vcpack', game, n);
            item = {
              sku,
              name: g.localized(true),
              description: g.localized(false),
              image_url: `https://cdn.example.com/packs/${sku}.png`,
              content: [{ sku: g.pick(currencies), quantity: g.pick([100, 500, 1000, 5000, 10000]) }],
              prices: g.prices(),
              bonus: [],
              is_enabled: true,
              order: n,
            };
          } else {
            const sku = skuFor('bundle', game, n);
            const content: Json[] = [];
            const m = g.int(2, 6);
            for (let c = 0; c < m; c++) content.push({ sku: g.chance(0.85) ? g.pick(items) : g.pick(currencies), quantity: g.int(1, 10) });
            item = {
              sku,
              name: g.localized(true),
              description: g.localized(false),
              image_url: `https://cdn.example.com/bundles/${sku}.png`,
              media_list: g.media('bundles', sku),
              groups: [g.pick(GROUPS), 'bundles'],
              content,
              prices: g.prices(),
              is_enabled: true,
              order: n,
            };
          }
          if (g.chance(0.02)) sampleSkus.push(item.sku as string);
          arr.push(item);
          definitions++;
        }
        root[key] = arr;
      }
      const key = plan[0].key;
      const name = `${key === 'virtual_items' ? 'items' : key === 'bundle' ? 'bundles' : key === 'virtual_currency' ? 'currency' : 'packages'}-${String(fi).padStart(3, '0')}.json`;
      const file = path.join(gdir, name);
      const text = JSON.stringify(root, null, 2) + '\n';
      fs.writeFileSync(file, text);
      totalBytes += Buffer.byteLength(text);
      files.push(file);
      if (!bigFile && Buffer.byteLength(text) > 800 * 1024) bigFile = file;
    });

    // Two files per game that hold no SKU at all: a localization table and a config.
    const l10n: Record<string, string> = {};
    for (let i = 0; i < 3000; i++) l10n[`ui.label_${i}`] = g.sentence(WORDS_EN, 2, 8);
    const extra: Array<[string, string]> = [
      [path.join(dir, `game-${String(game).padStart(2, '0')}`, 'l10n.json'), JSON.stringify(l10n, null, 2)],
      [path.join(dir, `game-${String(game).padStart(2, '0')}`, 'config.json'), JSON.stringify({ name: `game ${game}`, version: '1.0.0', regions: CURRENCIES }, null, 2)],
    ];
    for (const [file, text] of extra) {
      fs.writeFileSync(file, text);
      totalBytes += Buffer.byteLength(text);
      files.push(file);
    }
  }
  files.sort();
  const shuffled = sampleSkus.map((s) => [g.r(), s] as const).sort((a, b) => a[0] - b[0]).map((x) => x[1]);
  const manifest: Manifest = { files: files.map((f) => path.relative(dir, f)), bigFile: path.relative(dir, bigFile), sampleSkus: shuffled, totalBytes, definitions };
  fs.writeFileSync(stamp, JSON.stringify(manifest));
  return { dir, files, bigFile, sampleSkus: shuffled, totalBytes, definitions };
}
