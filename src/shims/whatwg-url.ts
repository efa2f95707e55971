/**
 * Stand-in for the `whatwg-url` package in the bundle (see esbuild.js). node-fetch@2 imports it only
 * as a fallback for runtimes without a WHATWG `URL` (`Url.URL || whatwgUrl.URL`); Node has had one
 * since v10, and the real package would add ~200 KB of Unicode tables (tr46) to dist/extension.js.
 */
import { URL as NodeURL, URLSearchParams as NodeURLSearchParams } from 'url';

export const URL = NodeURL;
export const URLSearchParams = NodeURLSearchParams;
export default { URL: NodeURL, URLSearchParams: NodeURLSearchParams };
