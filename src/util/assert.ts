// Invariant checks. A failed check is a kernel bug, never a user error: it panics loudly
// (throws KernelPanic) instead of returning a status, so that tests cannot miss it.

export class KernelPanic extends Error {
  constructor(message: string) {
    super(`zxvm kernel panic: ${message}`);
    this.name = 'KernelPanic';
  }
}

export function panic(message: string): never {
  throw new KernelPanic(message);
}

export function assert(condition: unknown, message: string): asserts condition {
  if (!condition) panic(message);
}
