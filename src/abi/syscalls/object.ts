// The object syscalls. TODO(table): object types, rights and errors still to fill from the implementations.

import { ZX_RIGHT_NONE } from '../constants.ts';
import {
  ANY_OBJECT,
  bufferIn,
  bufferOut,
  family,
  handle,
  outU32,
  outU64,
  time,
  u32,
  u64,
} from '../syscall-spec.ts';

export const OBJECT_SYSCALLS = family({
  zx_object_get_info: {
    summary: '',
    params: [
      handle('handle', ANY_OBJECT, ZX_RIGHT_NONE),
      u32('topic'),
      bufferOut('buffer', 'buffer_size'),
      u64('buffer_size'),
      outU64('actual'),
      outU64('avail'),
    ],
    rights:
      'per topic: ZX_RIGHT_INSPECT for VMAR, VMAR_MAPS, PROCESS_VMOS, PROCESS_MAPS; none for HANDLE_*, VMO*; KMEM_STATS: system resource',
    errors: [],
    test: '',
  },
  zx_object_get_property: {
    summary: '',
    params: [
      handle('handle', ANY_OBJECT, ZX_RIGHT_NONE),
      u32('property'),
      bufferOut('value', 'value_size'),
      u64('value_size'),
    ],
    rights: 'handle: ZX_RIGHT_GET_PROPERTY',
    errors: [],
    test: '',
  },
  zx_object_set_property: {
    summary: '',
    params: [
      handle('handle', ANY_OBJECT, ZX_RIGHT_NONE),
      u32('property'),
      bufferIn('value', 'value_size'),
      u64('value_size'),
    ],
    rights: 'handle: ZX_RIGHT_SET_PROPERTY (and ZX_RIGHT_WRITE for ZX_PROP_VMO_CONTENT_SIZE)',
    errors: [],
    test: '',
  },
  zx_object_signal: {
    summary: '',
    params: [handle('handle', ANY_OBJECT, ZX_RIGHT_NONE), u32('clear_mask'), u32('set_mask')],
    rights: 'handle: ZX_RIGHT_SIGNAL',
    errors: [],
    test: '',
  },
  zx_object_wait_one: {
    summary: '',
    params: [
      handle('handle', ANY_OBJECT, ZX_RIGHT_NONE),
      u32('signals'),
      time('deadline'),
      outU32('observed'),
    ],
    rights: 'handle: ZX_RIGHT_WAIT',
    errors: [],
    test: '',
  },
});
