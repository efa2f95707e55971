/** Typed failures of the API client. Messages never carry the key or the Authorization header. */

export type ApiErrorKind =
  | 'auth' // 401: key rejected
  | 'forbidden' // 403
  | 'not-found' // 404: unknown project
  | 'rate-limited' // 429
  | 'server' // 5xx
  | 'client' // other 4xx, e.g. 422 on start import
  | 'timeout'
  | 'network' // refused, reset, DNS
  | 'bad-response' // not JSON, wrong shape, truncated
  | 'too-large' // body over the size limit
  | 'redirect' // 3xx: never followed with credentials
  | 'config' // bad base URL or project id
  | 'aborted'; // cancelled by us (dispose, newer request)

export class ApiError extends Error {
  override readonly name = 'ApiError';
  constructor(
    readonly kind: ApiErrorKind,
    message: string,
    readonly details: {
      readonly httpStatus?: number;
      /** Milliseconds the server asked us to wait (Retry-After). */
      readonly retryAfterMs?: number;
      /** Server error code, e.g. 1020 for `[0401-1020]`. */
      readonly serverCode?: number;
    } = {},
  ) {
    super(message);
  }
}

export function isApiError(e: unknown): e is ApiError {
  return e instanceof ApiError;
}
