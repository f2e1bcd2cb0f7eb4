// Makes globalThis.gc available before mitata loads (mitata looks for it once, at import), so
// every benchmark starts from a collected heap whether or not node ran with --expose-gc.
// harness.ts imports this module first.

import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

if (typeof globalThis.gc !== 'function') {
  setFlagsFromString('--expose-gc');
  globalThis.gc = runInNewContext('gc') as typeof globalThis.gc;
}
