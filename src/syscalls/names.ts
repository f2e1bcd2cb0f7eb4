// ZX_PROP_NAME: which objects carry a name, and where it is kept. A VMO's name lives on the
// VmObject (so children and the VM layer can see it); processes, jobs and threads keep theirs on
// the kernel object.

import {
  ZX_ERR_BAD_STATE,
  ZX_ERR_WRONG_TYPE,
  ZX_OBJ_TYPE_JOB,
  ZX_OBJ_TYPE_PROCESS,
  ZX_OBJ_TYPE_THREAD,
  ZX_OBJ_TYPE_VMO,
  ZX_OK,
} from '../abi/constants.ts';
import type { KernelObject } from '../object/kernel-object.ts';
import type { ThreadDispatcher } from '../object/thread-dispatcher.ts';
import type { VmoObject } from '../object/vmo-object.ts';

const encoder = new TextEncoder();

interface Named {
  name: string;
}

export function hasName(object: KernelObject): boolean {
  return (
    object.type === ZX_OBJ_TYPE_VMO ||
    object.type === ZX_OBJ_TYPE_PROCESS ||
    object.type === ZX_OBJ_TYPE_JOB ||
    object.type === ZX_OBJ_TYPE_THREAD
  );
}

/**
 * Whether ZX_PROP_NAME can be read or set: WRONG_TYPE for objects without a name, BAD_STATE
 * for a dead thread (Zircon's ThreadDispatcher has lost its core thread, which held the name).
 */
export function nameStatus(object: KernelObject): number {
  if (!hasName(object)) return ZX_ERR_WRONG_TYPE;
  if (object.type === ZX_OBJ_TYPE_THREAD && (object as ThreadDispatcher).isDead) {
    return ZX_ERR_BAD_STATE;
  }
  return ZX_OK;
}

/** The name bytes (without the terminating NUL). */
export function getName(object: KernelObject): Uint8Array {
  if (object.type === ZX_OBJ_TYPE_VMO) return (object as VmoObject).vmo.name;
  return encoder.encode((object as unknown as Named).name).subarray(0, 31);
}

/** Sets the name; it ends at the first NUL, as a C string would. */
export function setName(object: KernelObject, bytes: Uint8Array): void {
  const nul = bytes.indexOf(0);
  const name = bytes.slice(0, nul < 0 ? bytes.length : nul);
  if (object.type === ZX_OBJ_TYPE_VMO) (object as VmoObject).vmo.name = name;
  else (object as unknown as Named).name = new TextDecoder().decode(name);
}
