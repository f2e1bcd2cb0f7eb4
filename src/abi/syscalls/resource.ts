// The resource syscalls (zircon/syscalls/resource.h).

import { ZX_OBJ_TYPE_RESOURCE, ZX_RIGHT_WRITE } from '../constants.ts';
import { bufferIn, family, handle, outHandle, u32, u64 } from '../syscall-spec.ts';

export const RESOURCE_SYSCALLS = family({
  zx_resource_create: {
    summary:
      'Derives a resource of one kind over [base, base + size) from a resource that grants it.',
    params: [
      handle('parent_rsrc', ZX_OBJ_TYPE_RESOURCE, ZX_RIGHT_WRITE),
      // The kind in the low 16 bits, ZX_RSRC_FLAG_EXCLUSIVE above.
      u32('options', 'rsrc_options'),
      u64('base'),
      u64('size'),
      bufferIn('name', 'name_size'),
      u64('name_size'),
      outHandle('resource_out'),
    ],
    rights:
      'parent_rsrc: ZX_RIGHT_WRITE, and the ranged root of the kind or a resource of the kind covering the range',
    errors: [
      [
        'ZX_ERR_INVALID_ARGS',
        'base + size overflows (checked before the handle); the kind is invalid or a flag unknown; an exclusive resource is sliced, or an exclusive one cut, from anything but the ranged root; name cannot be read',
      ],
      ['ZX_ERR_BAD_HANDLE', 'parent_rsrc names nothing in this process'],
      ['ZX_ERR_WRONG_TYPE', 'parent_rsrc is not a resource'],
      [
        'ZX_ERR_ACCESS_DENIED',
        'parent_rsrc lacks ZX_RIGHT_WRITE; it does not grant the kind or the range',
      ],
      [
        'ZX_ERR_NOT_FOUND',
        'host name shorter than name_size; a SYSTEM range outside [0, ZX_RSRC_SYSTEM_COUNT); an exclusive range over another resource of the kind, or any range over an exclusive one',
      ],
      ['ZX_ERR_NO_MEMORY', "the kernel's handle arena is full (the new resource is undone)"],
      ['ZX_ERR_INVALID_ARGS', 'resource_out cannot be written (the new resource is destroyed)'],
    ],
    test: 'test/syscalls/resource/resources.test.ts',
  },
});
