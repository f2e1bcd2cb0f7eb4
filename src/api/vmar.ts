// Vmar: the idiomatic handle to a virtual memory address region. Addresses are bigints.

import { ZX_RIGHT_SAME_RIGHTS } from '../abi/constants.ts';
import type { Process } from '../process.ts';
import { check } from './error.ts';
import { Handle } from './handle.ts';
import type { Vmo } from './vmo.ts';

type Size = number | bigint;

export class Vmar extends Handle {
  /** The root VMAR of `process` (zx_vmar_root_self), duplicated so it can be owned. */
  static root(process: Process): Vmar {
    const out = { value: 0 };
    const sys = process.explained;
    const status = sys.zx_handle_duplicate(process.rootVmar, ZX_RIGHT_SAME_RIGHTS, out);
    check(status, 'zx_handle_duplicate', process.explainedReason);
    return new Vmar(process, out.value);
  }

  /** zx_vmar_map: returns the address the VMO was mapped at. */
  map(options: number, vmarOffset: Size, vmo: Vmo, vmoOffset: Size, length: Size): bigint {
    const out = { value: 0n };
    this.check(
      this.sys.zx_vmar_map(this.raw, options, vmarOffset, vmo.raw, vmoOffset, length, out),
      'zx_vmar_map',
    );
    return out.value;
  }

  /** zx_vmar_unmap */
  unmap(address: Size, length: Size): void {
    this.check(this.sys.zx_vmar_unmap(this.raw, address, length), 'zx_vmar_unmap');
  }

  /** zx_vmar_protect */
  protect(options: number, address: Size, length: Size): void {
    this.check(this.sys.zx_vmar_protect(this.raw, options, address, length), 'zx_vmar_protect');
  }

  /** zx_vmar_allocate: a child region and its base address. */
  allocate(options: number, offset: Size, size: Size): { vmar: Vmar; address: bigint } {
    const child = { value: 0 };
    const address = { value: 0n };
    this.check(
      this.sys.zx_vmar_allocate(this.raw, options, offset, size, child, address),
      'zx_vmar_allocate',
    );
    return { vmar: new Vmar(this.process, child.value), address: address.value };
  }

  /** zx_vmar_destroy */
  destroy(): void {
    this.check(this.sys.zx_vmar_destroy(this.raw), 'zx_vmar_destroy');
  }

  /** zx_vmar_op_range with no buffer. */
  op(op: number, address: Size, length: Size): void {
    this.check(
      this.sys.zx_vmar_op_range(this.raw, op, address, length, null, 0),
      'zx_vmar_op_range',
    );
  }
}
