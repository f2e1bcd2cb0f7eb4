// The resource syscalls. TODO(table): object types, rights and errors still to fill from the implementations.

import { ZX_RIGHT_NONE } from '../constants.ts';
import { ANY_OBJECT, bufferIn, family, handle, outHandle, u32, u64 } from '../syscall-spec.ts';

export const RESOURCE_SYSCALLS = family({
  zx_resource_create: {
    summary: '',
    params: [
      handle('parent_rsrc', ANY_OBJECT, ZX_RIGHT_NONE),
      u32('options'),
      u64('base'),
      u64('size'),
      bufferIn('name', 'name_size'),
      u64('name_size'),
      outHandle('resource_out'),
    ],
    rights: 'parent_rsrc: ZX_RIGHT_WRITE, granting the kind and range',
    errors: [],
    test: '',
  },
});
