/** Removes known secrets from text: the key itself and the Basic-auth forms that contain it. */
export class Redactor {
  private readonly secrets = new Set<string>();

  /** Registers the key and the base64 forms a request would carry. */
  addCredentials(projectId: number, apiKey: string): void {
    if (!apiKey) return;
    this.secrets.add(apiKey);
    this.secrets.add(Buffer.from(`${projectId}:${apiKey}`, 'utf8').toString('base64'));
  }

  clear(): void {
    this.secrets.clear();
  }

  redact(text: string): string {
    let out = text;
    for (const s of this.secrets) if (s.length >= 4 && out.includes(s)) out = out.split(s).join('«redacted»');
    // Also any Authorization header value, in header, assignment or JSON form ("Authorization":"Basic …").
    return out.replace(/(authorization["']?\s*[:=]\s*["']?)(basic|bearer)\s+[A-Za-z0-9+/=._-]+/gi, '$1$2 «redacted»');
  }
}
