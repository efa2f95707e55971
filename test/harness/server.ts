/** Starts the plain VS Code server from code-server's package on Node 24, with fresh data dirs. */
import { ChildProcess, spawn } from 'child_process';
import * as fs from 'fs';
import * as net from 'net';
import * as os from 'os';
import * as path from 'path';
import { NODE24, SERVER_MAIN } from './env';

/** Settings that keep the workbench quiet: no trust prompt, welcome page, chat, tips or update checks. */
export const QUIET_SETTINGS: Record<string, unknown> = {
  'security.workspace.trust.enabled': false,
  'workbench.startupEditor': 'none',
  'workbench.welcomePage.walkthroughs.openOnInstall': false,
  'workbench.tips.enabled': false,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoUpdate': false,
  'extensions.autoCheckUpdates': false,
  'extensions.ignoreRecommendations': true,
  'chat.disableAIFeatures': true,
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
};

/** Every server still running: killed when this process exits, also on failure or Ctrl-C. */
const live = new Set<ChildProcess>();
process.on('exit', () => live.forEach(killTree));
for (const sig of ['SIGINT', 'SIGTERM'] as const) process.once(sig, () => process.exit(130));

export interface VSCodeServer {
  readonly port: number;
  readonly url: string;
  readonly dataDir: string;
  readonly extensionsDir: string;
  log(): string;
  stop(): Promise<void>;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as net.AddressInfo).port;
      srv.close(() => resolve(port));
    });
    srv.on('error', reject);
  });
}

export async function startServer(opts: { settings?: Record<string, unknown>; env?: NodeJS.ProcessEnv; vsix?: string; port?: number } = {}): Promise<VSCodeServer> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'xsolla-vscode-'));
  const extensionsDir = path.join(dataDir, 'ext');
  fs.mkdirSync(path.join(dataDir, 'User'), { recursive: true });
  fs.writeFileSync(path.join(dataDir, 'User', 'settings.json'), JSON.stringify({ ...QUIET_SETTINGS, ...opts.settings }, null, 2));
  const env = { ...process.env, ...opts.env, HOME: dataDir, XDG_CONFIG_HOME: path.join(dataDir, '.config'), VSCODE_AGENT_FOLDER: dataDir };
  const common = ['--accept-server-license-terms', '--user-data-dir', dataDir, '--server-data-dir', dataDir, '--extensions-dir', extensionsDir];

  if (opts.vsix) {
    await run(NODE24, [SERVER_MAIN, ...common, '--install-extension', opts.vsix, '--force'], env);
  }

  const port = opts.port ?? (await freePort());
  let output = '';
  const child: ChildProcess = spawn(
    NODE24,
    [SERVER_MAIN, '--host', '127.0.0.1', '--port', String(port), '--without-connection-token', '--enable-smoke-test-driver', '--disable-telemetry', '--disable-workspace-trust', '--reconnection-grace-time', '5', ...common],
    { env, stdio: ['ignore', 'pipe', 'pipe'], detached: true },
  );
  live.add(child);
  child.on('exit', () => live.delete(child));
  child.stdout?.on('data', (d) => (output += d));
  child.stderr?.on('data', (d) => (output += d));
  const url = `http://127.0.0.1:${port}`;
  await waitFor(async () => {
    if (child.exitCode !== null) throw new Error(`VS Code server exited with ${child.exitCode}:\n${output}`);
    return output.includes('Extension host agent listening') || (await httpOk(url));
  }, 30_000);

  let stopped = false;
  return {
    port,
    url,
    dataDir,
    extensionsDir,
    log: () => output,
    async stop() {
      if (stopped) return;
      stopped = true;
      killTree(child);
      await new Promise((r) => setTimeout(r, 200));
      fs.rmSync(dataDir, { recursive: true, force: true, maxRetries: 3 });
    },
  };
}

export function killTree(child: ChildProcess): void {
  if (child.pid === undefined || child.exitCode !== null) return;
  try {
    process.kill(-child.pid, 'SIGKILL'); // the whole process group: server, extension hosts, watchers
  } catch {
    try {
      child.kill('SIGKILL');
    } catch {
      /* already gone */
    }
  }
}

function run(cmd: string, args: string[], env: NodeJS.ProcessEnv): Promise<void> {
  return new Promise((resolve, reject) => {
    const c = spawn(cmd, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    c.stdout.on('data', (d) => (out += d));
    c.stderr.on('data', (d) => (out += d));
    c.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`${path.basename(cmd)} ${args.slice(1, 2).join(' ')} failed (${code}):\n${out}`))));
  });
}

async function httpOk(url: string): Promise<boolean> {
  return new Promise((resolve) => {
    const req = require('http').get(url, (res: { statusCode?: number; resume(): void }) => {
      res.resume();
      resolve((res.statusCode ?? 500) < 500);
    });
    req.on('error', () => resolve(false));
    req.setTimeout(1000, () => {
      req.destroy();
      resolve(false);
    });
  });
}

async function waitFor(check: () => Promise<boolean> | boolean, timeoutMs: number): Promise<void> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return;
    if (Date.now() > end) throw new Error('Timed out waiting for the VS Code server.');
    await new Promise((r) => setTimeout(r, 200));
  }
}
