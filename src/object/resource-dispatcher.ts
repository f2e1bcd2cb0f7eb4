// Resources: capabilities over ranges of privileged things (MMIO ranges, the VMEX right to make
// memory executable, the whole system). The system resource is the root from which the others
// are derived with zx_resource_create.

import { ZX_OBJ_TYPE_RESOURCE } from '../abi/constants.ts';
import { Dispatcher } from './dispatcher.ts';
import type { Koid } from './types.ts';

export class ResourceDispatcher extends Dispatcher {
  readonly type = ZX_OBJ_TYPE_RESOURCE;

  readonly kind: number;
  readonly base: bigint;
  readonly size: bigint;
  readonly flags: number;
  readonly name: string;
  /** Called when the last handle goes (the registry forgets the range). */
  onRelease: (() => void) | null = null;

  constructor(koid: Koid, kind: number, base: bigint, size: bigint, flags: number, name: string) {
    super(koid);
    this.kind = kind;
    this.base = base;
    this.size = size;
    this.flags = flags;
    this.name = name;
  }

  /**
   * A ranged root (base 0, size 0) grants its whole kind. zxvm's system resource is the ranged
   * root of every kind at once: Fuchsia hands privileged code one ranged root per kind (system,
   * mmio, ...), and the contract hands out just the system resource.
   */
  get isRangedRoot(): boolean {
    return this.base === 0n && this.size === 0n;
  }

  get isExclusive(): boolean {
    return (this.flags & 0x0001_0000) !== 0;
  }

  override onZeroHandles(): void {
    this.onRelease?.();
  }

  /** Named once, at zx_resource_create: the name can be read but not set. */
  override getName(): Uint8Array {
    return new TextEncoder().encode(this.name).subarray(0, 31);
  }

  /** True when [base, base + size) lies inside this resource's range. */
  covers(base: bigint, size: bigint): boolean {
    return this.isRangedRoot || (base >= this.base && base + size <= this.base + this.size);
  }
}
