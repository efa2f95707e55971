/** Builds a SkuIndex from files on disk (baseline: sequential read + setFile). Never imports `vscode`. */
import * as fs from 'fs';
import { SkuIndex } from './skuIndex';

export async function buildIndex(index: SkuIndex, paths: readonly string[], keys: readonly string[] = paths): Promise<void> {
  for (let i = 0; i < paths.length; i++) index.setFile(keys[i], fs.readFileSync(paths[i]));
}
