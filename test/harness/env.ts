/** Where the pinned real-VS-Code test environment lives, and how to make sure it is installed. */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';

export const ROOT = path.resolve(__dirname, '..', '..', '..');
export const ENV_DIR = path.join(ROOT, '.vscode-test');
export const NODE24 = path.join(ENV_DIR, 'node24', 'bin', 'node');
export const SERVER_MAIN = path.join(ENV_DIR, 'pkgs', 'node_modules', 'code-server', 'lib', 'vscode', 'out', 'server-main.js');
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const RESULTS_DIR = path.join(ROOT, 'test-results');
export const FIXTURE_WORKSPACE = path.join(ROOT, 'test', 'fixtures', 'catalog-workspace');
export const MULTI_ROOT_WORKSPACE = path.join(ROOT, 'test', 'fixtures', 'multi-root');

/** Runs the idempotent setup script (a no-op when the pinned environment is already there). */
export function ensureEnv(): void {
  execFileSync('bash', [path.join(ROOT, 'test', 'harness', 'setup-env.sh')], { stdio: 'inherit' });
}

/** The part of playwright-core's API the harness uses (it is installed by setup-env.sh, so its types are not there at build time). */
export interface Locator {
  first(): Locator;
  nth(i: number): Locator;
  click(o?: { timeout?: number; button?: 'left' | 'right'; force?: boolean }): Promise<void>;
  dblclick(o?: { timeout?: number }): Promise<void>;
  fill(v: string, o?: { timeout?: number }): Promise<void>;
  press(k: string, o?: { timeout?: number }): Promise<void>;
  waitFor(o?: { state?: 'visible' | 'attached' | 'hidden' | 'detached'; timeout?: number }): Promise<void>;
  textContent(o?: { timeout?: number }): Promise<string | null>;
  innerText(o?: { timeout?: number }): Promise<string>;
  allInnerTexts(): Promise<string[]>;
  count(): Promise<number>;
  isVisible(): Promise<boolean>;
  locator(sel: string, o?: { hasText?: string | RegExp }): Locator;
}
export interface Page {
  goto(url: string, o?: { timeout?: number; waitUntil?: string }): Promise<unknown>;
  locator(sel: string, o?: { hasText?: string | RegExp }): Locator;
  keyboard: { press(k: string): Promise<void>; type(t: string, o?: { delay?: number }): Promise<void> };
  screenshot(o: { path: string; fullPage?: boolean }): Promise<Buffer>;
  exposeFunction(name: string, fn: (...a: any[]) => unknown): Promise<void>; // eslint-disable-line @typescript-eslint/no-explicit-any
  on(ev: 'console', fn: (m: { text(): string; type(): string }) => void): void;
  on(ev: 'pageerror', fn: (e: Error) => void): void;
  waitForTimeout(ms: number): Promise<void>;
  setViewportSize(s: { width: number; height: number }): Promise<void>;
  evaluate<T = unknown>(fn: string | (() => T)): Promise<T>;
}
export interface BrowserContext {
  pages(): Page[];
  newPage(): Promise<Page>;
  close(): Promise<void>;
}
export interface Playwright {
  chromium: { launchPersistentContext(dir: string, o: Record<string, unknown>): Promise<BrowserContext> };
}

export function playwright(): Playwright {
  // Installed into .vscode-test by setup-env.sh, not a dependency of the extension.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require(path.join(ENV_DIR, 'pkgs', 'node_modules', 'playwright-core')) as Playwright;
}

export const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

/** Launches headless Debian Chromium with a throwaway profile; HOME points into it so nothing lands in the user's home. */
export async function launchChromium(profileDir: string): Promise<BrowserContext> {
  return playwright().chromium.launchPersistentContext(profileDir, {
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_ARGS,
    viewport: { width: 1400, height: 900 },
    env: { ...process.env, HOME: profileDir, XDG_CONFIG_HOME: path.join(profileDir, '.config') },
  });
}

export function copyDir(from: string, to: string): void {
  fs.cpSync(from, to, { recursive: true });
}
