// Making a new paged VMO object, shared by zx_vmo_create and the other syscalls that create
// VMOs.

import { ZX_ERR_OUT_OF_RANGE } from '../abi/constants.ts';
import type { KernelCore } from '../object/kernel-core.ts';
import { VmObjectDispatcher } from '../object/vm-object-dispatcher.ts';
import { because } from '../util/reason.ts';
import { PAGE_SHIFT_N } from '../util/u64.ts';
import { VMO_MAX_SIZE, type VmoCreateOptions } from '../vm/vm-object.ts';
import { VmObjectPaged } from '../vm/vm-object-paged.ts';
import { tooLarge } from '../vm/vm-reasons.ts';

/**
 * A VmObjectDispatcher of `size` bytes (page aligned) with the given content size, or
 * ZX_ERR_OUT_OF_RANGE past the largest VMO.
 */
export function createPagedVmo(
  core: KernelCore,
  size: bigint,
  contentSize: bigint,
  options: VmoCreateOptions,
): VmObjectDispatcher | number {
  if (size > VMO_MAX_SIZE) return because(ZX_ERR_OUT_OF_RANGE, tooLarge, size);
  const vmo = new VmObjectPaged(core.pmm, Number(size >> PAGE_SHIFT_N), options, core.discardables);
  return new VmObjectDispatcher(core.newKoid(), vmo, contentSize);
}
