// ZX_PROP_NAME: which objects carry a name, and where it is kept. A VMO's name lives on the
// VmObject (so children and the VM layer can see it); processes and jobs keep theirs on the
// kernel object.

import { ZX_OBJ_TYPE_JOB, ZX_OBJ_TYPE_PROCESS, ZX_OBJ_TYPE_VMO } from '../abi/constants.ts';
import type { KernelObject } from '../object/kernel-object.ts';
import type { VmObjectDispatcher } from '../object/vm-object-dispatcher.ts';

const encoder = new TextEncoder();

interface Named {
  name: string;
}

export function hasName(object: KernelObject): boolean {
  return (
    object.type === ZX_OBJ_TYPE_VMO ||
    object.type === ZX_OBJ_TYPE_PROCESS ||
    object.type === ZX_OBJ_TYPE_JOB
  );
}

/** The name bytes (without the terminating NUL). */
export function getName(object: KernelObject): Uint8Array {
  if (object.type === ZX_OBJ_TYPE_VMO) return (object as VmObjectDispatcher).vmo.name;
  return encoder.encode((object as unknown as Named).name).subarray(0, 31);
}

/** Sets the name; it ends at the first NUL, as a C string would. */
export function setName(object: KernelObject, bytes: Uint8Array): void {
  const nul = bytes.indexOf(0);
  const name = bytes.slice(0, nul < 0 ? bytes.length : nul);
  if (object.type === ZX_OBJ_TYPE_VMO) (object as VmObjectDispatcher).vmo.name = name;
  else (object as unknown as Named).name = new TextDecoder().decode(name);
}
