/** A thin page object over the VS Code web workbench, driven by Chromium through playwright-core. */
import * as fs from 'fs';
import * as path from 'path';
import { Page, RESULTS_DIR } from '../harness/env';

export class Workbench {
  private shot = 0;
  constructor(readonly page: Page) {}

  statusItem(text: string | RegExp) {
    return this.page.locator('.statusbar-item', { hasText: text });
  }

  async xsollaStatusText(): Promise<string> {
    const item = this.page.locator('#xsollaImport\\.status, .statusbar-item[id="xsollaImport.status"]').first();
    if ((await item.count()) > 0) return (await item.innerText()).trim();
    const texts = await this.page.locator('.statusbar-item', { hasText: 'Xsolla' }).allInnerTexts();
    return (texts[0] ?? '').trim();
  }

  async runCommand(title: string): Promise<void> {
    await this.page.keyboard.press('F1');
    const input = this.page.locator('.quick-input-widget input');
    await input.waitFor({ state: 'visible', timeout: 10_000 });
    await input.fill(`>${title}`);
    await this.page.locator('.quick-input-widget .monaco-list-row', { hasText: title }).first().waitFor({ timeout: 10_000 });
    await input.press('Enter');
  }

  async answerInput(value: string): Promise<void> {
    const input = this.page.locator('.quick-input-widget input');
    await input.waitFor({ state: 'visible', timeout: 10_000 });
    await input.fill(value);
    await input.press('Enter');
  }

  /** The `Ln N, Col M` status item → N. */
  async cursorLine(): Promise<number> {
    const t = await this.statusItem(/Ln \d+, Col \d+/).first().innerText({ timeout: 10_000 });
    return Number(/Ln (\d+)/.exec(t)![1]);
  }

  async screenshot(name: string): Promise<string> {
    fs.mkdirSync(RESULTS_DIR, { recursive: true });
    const file = path.join(RESULTS_DIR, `ui-${String(++this.shot).padStart(2, '0')}-${name}.png`);
    await this.page.screenshot({ path: file });
    return file;
  }
}

export async function until<T>(what: string, probe: () => Promise<T | undefined | false>, timeoutMs = 20_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe().catch(() => undefined);
    if (v) return v;
    if (Date.now() > end) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 150));
  }
}
