/** Entry point of the multi-root suite (opened on test/fixtures/multi-root/multi.code-workspace). */
import { runTestsIn } from '../index';

export function run(): Promise<void> {
  return runTestsIn(__dirname);
}
