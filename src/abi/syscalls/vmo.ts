// The vmo syscalls. TODO(table): object types, rights and errors still to fill from the implementations.

import { ZX_RIGHT_NONE } from '../constants.ts';
import {
  ANY_OBJECT,
  bufferIn,
  bufferOut,
  family,
  handle,
  outHandle,
  outU64,
  u32,
  u64,
} from '../syscall-spec.ts';

export const VMO_SYSCALLS = family({
  zx_vmo_create: {
    summary: '',
    params: [u64('size'), u32('options'), outHandle('out')],
    rights: 'job policy: ZX_POL_NEW_VMO',
    errors: [],
    test: '',
  },
  zx_vmo_read: {
    summary: '',
    params: [
      handle('handle', ANY_OBJECT, ZX_RIGHT_NONE),
      bufferOut('buffer', 'offset'),
      u64('offset'),
      u64('buffer_size'),
    ],
    rights: 'handle: ZX_RIGHT_READ',
    errors: [],
    test: '',
  },
  zx_vmo_write: {
    summary: '',
    params: [
      handle('handle', ANY_OBJECT, ZX_RIGHT_NONE),
      bufferIn('buffer', 'offset'),
      u64('offset'),
      u64('buffer_size'),
    ],
    rights: 'handle: ZX_RIGHT_WRITE',
    errors: [],
    test: '',
  },
  zx_vmo_get_size: {
    summary: '',
    params: [handle('handle', ANY_OBJECT, ZX_RIGHT_NONE), outU64('size')],
    rights: 'none',
    errors: [],
    test: '',
  },
  zx_vmo_set_size: {
    summary: '',
    params: [handle('handle', ANY_OBJECT, ZX_RIGHT_NONE), u64('size')],
    rights: 'handle: ZX_RIGHT_WRITE, and ZX_RIGHT_RESIZE on resizable VMOs',
    errors: [],
    test: '',
  },
  zx_vmo_get_stream_size: {
    summary: '',
    params: [handle('handle', ANY_OBJECT, ZX_RIGHT_NONE), outU64('size')],
    rights: 'none',
    errors: [],
    test: '',
  },
  zx_vmo_set_stream_size: {
    summary: '',
    params: [handle('handle', ANY_OBJECT, ZX_RIGHT_NONE), u64('size')],
    rights: 'handle: ZX_RIGHT_WRITE',
    errors: [],
    test: '',
  },
  zx_vmo_op_range: {
    summary: '',
    params: [
      handle('handle', ANY_OBJECT, ZX_RIGHT_NONE),
      u32('op'),
      u64('offset'),
      u64('size'),
      bufferOut('buffer', 'buffer_size'),
      u64('buffer_size'),
    ],
    rights:
      'per op: WRITE (COMMIT, DECOMMIT, ZERO), READ (cache ops, PREFETCH), READ or WRITE (locks)',
    errors: [],
    test: '',
  },
  zx_vmo_set_cache_policy: {
    summary: '',
    params: [handle('handle', ANY_OBJECT, ZX_RIGHT_NONE), u32('cache_policy')],
    rights: 'handle: ZX_RIGHT_MAP',
    errors: [],
    test: '',
  },
  zx_vmo_replace_as_executable: {
    summary: '',
    params: [
      handle('handle', ANY_OBJECT, ZX_RIGHT_NONE),
      handle('vmex', ANY_OBJECT, ZX_RIGHT_NONE),
      outHandle('out'),
    ],
    rights: 'vmex: SYSTEM resource covering VMEX, or ambient ZX_POL_AMBIENT_MARK_VMO_EXEC',
    errors: [],
    test: '',
  },
  zx_vmo_create_child: {
    summary: '',
    params: [
      handle('handle', ANY_OBJECT, ZX_RIGHT_NONE),
      u32('options'),
      u64('offset'),
      u64('size'),
      outHandle('out'),
    ],
    rights:
      'handle: ZX_RIGHT_DUPLICATE and ZX_RIGHT_READ (and ZX_RIGHT_RESIZE for REFERENCE|RESIZABLE)',
    errors: [],
    test: '',
  },
  zx_vmo_transfer_data: {
    summary: '',
    params: [
      handle('dst_vmo', ANY_OBJECT, ZX_RIGHT_NONE),
      u32('options'),
      u64('offset'),
      u64('length'),
      handle('src_vmo', ANY_OBJECT, ZX_RIGHT_NONE),
      u64('src_offset'),
    ],
    rights: 'dst_vmo: ZX_RIGHT_WRITE; src_vmo: ZX_RIGHT_READ and ZX_RIGHT_WRITE',
    errors: [],
    test: '',
  },
});
