// The idiomatic API: owned handles with `using`/dispose, methods that throw ZxError.

export { check, ZxError } from './error.ts';
export { Handle } from './handle.ts';
export { Vmar } from './vmar.ts';
export { Vmo } from './vmo.ts';
