// The vmar syscalls. TODO(table): object types, rights and errors still to fill from the implementations.

import { ZX_RIGHT_NONE } from '../constants.ts';
import {
  ANY_OBJECT,
  bufferOut,
  family,
  handle,
  outHandle,
  outU64,
  u32,
  u64,
} from '../syscall-spec.ts';

export const VMAR_SYSCALLS = family({
  zx_vmar_allocate: {
    summary: '',
    params: [
      handle('parent_vmar', ANY_OBJECT, ZX_RIGHT_NONE),
      u32('options'),
      u64('offset'),
      u64('size'),
      outHandle('child_vmar'),
      outU64('child_addr'),
    ],
    rights: 'parent_vmar: ZX_RIGHT_READ/WRITE/EXECUTE for CAN_MAP_READ/WRITE/EXECUTE',
    errors: [],
    test: '',
  },
  zx_vmar_map: {
    summary: '',
    params: [
      handle('handle', ANY_OBJECT, ZX_RIGHT_NONE),
      u32('options'),
      u64('vmar_offset'),
      handle('vmo', ANY_OBJECT, ZX_RIGHT_NONE),
      u64('vmo_offset'),
      u64('len'),
      outU64('mapped_addr'),
    ],
    rights: 'vmo: ZX_RIGHT_MAP; both: ZX_RIGHT_READ/WRITE/EXECUTE for PERM_READ/WRITE/EXECUTE',
    errors: [],
    test: '',
  },
  zx_vmar_unmap: {
    summary: '',
    params: [handle('handle', ANY_OBJECT, ZX_RIGHT_NONE), u64('addr'), u64('len')],
    rights: 'none (ZX_RIGHT_OP_CHILDREN to unmap sub-VMARs)',
    errors: [],
    test: '',
  },
  zx_vmar_protect: {
    summary: '',
    params: [handle('handle', ANY_OBJECT, ZX_RIGHT_NONE), u32('options'), u64('addr'), u64('len')],
    rights: 'handle: ZX_RIGHT_READ/WRITE/EXECUTE for PERM_READ/WRITE/EXECUTE',
    errors: [],
    test: '',
  },
  zx_vmar_destroy: {
    summary: '',
    params: [handle('handle', ANY_OBJECT, ZX_RIGHT_NONE)],
    rights: 'handle: ZX_RIGHT_OP_CHILDREN',
    errors: [],
    test: '',
  },
  zx_vmar_op_range: {
    summary: '',
    params: [
      handle('handle', ANY_OBJECT, ZX_RIGHT_NONE),
      u32('op'),
      u64('address'),
      u64('size'),
      bufferOut('buffer', 'buffer_size'),
      u64('buffer_size'),
    ],
    rights: "none (ZX_RIGHT_OP_CHILDREN for sub-VMARs' mappings)",
    errors: [],
    test: '',
  },
});
