/**
 * The one logger: a LogOutputChannel ("Xsolla Import"), whose level the user picks.
 * Every line passes through `redact`, which removes any registered secret (the API key and its
 * Basic-auth forms) as a last line of defence: no code path is meant to log them in the first place.
 */
import * as vscode from 'vscode';
import { Poller } from './core/poller';
import { Redactor } from './core/redact';

export class Logger implements vscode.Disposable {
  readonly channel: vscode.LogOutputChannel;
  readonly redactor = new Redactor();

  constructor(name = 'Xsolla Import') {
    this.channel = vscode.window.createOutputChannel(name, { log: true });
  }

  trace(component: string, message: string): void {
    this.channel.trace(this.line(component, message));
  }
  debug(component: string, message: string): void {
    this.channel.debug(this.line(component, message));
  }
  info(component: string, message: string): void {
    this.channel.info(this.line(component, message));
  }
  warn(component: string, message: string): void {
    this.channel.warn(this.line(component, message));
  }
  error(component: string, message: string | unknown): void {
    const text = typeof message === 'string' ? message : message instanceof Error ? `${message.name}: ${message.message}` : String(message);
    this.channel.error(this.line(component, text));
  }

  /** Logs each change of a poller's state kind (ok → unreachable, …) and of the import state. */
  transitions(poller: Poller): vscode.Disposable {
    let last = '';
    return poller.onDidChangeState((s) => {
      const now = s.kind === 'ok' ? `ok (${s.status.state}${s.status.state === 'process' ? ` ${s.status.progress}%` : ''})` : s.kind;
      if (now === last) return;
      const why = 'message' in s ? `: ${s.message}` : '';
      this.info('poller', `${last || 'start'} → ${now}${why}`);
      last = now;
    });
  }

  show(): void {
    this.channel.show(true);
  }

  private line(component: string, message: string): string {
    return this.redactor.redact(`[${component}] ${message}`);
  }

  dispose(): void {
    this.channel.dispose();
  }
}
