// The object syscalls. TODO(table): object types, rights and errors still to fill from the implementations.

import { ZX_RIGHT_NONE, ZX_RIGHT_WAIT } from '../constants.ts';
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
    summary:
      'Waits until one of signals is active on the object, the deadline passes, or the handle closes.',
    params: [
      handle('handle', ANY_OBJECT, ZX_RIGHT_WAIT),
      u32('signals', 'signals'),
      time('deadline'),
      outU32('observed'),
    ],
    rights: 'handle: ZX_RIGHT_WAIT',
    errors: [
      ['ZX_ERR_BAD_HANDLE', 'handle names nothing in this process'],
      ['ZX_ERR_ACCESS_DENIED', 'handle lacks ZX_RIGHT_WAIT'],
      ['ZX_ERR_NOT_SUPPORTED', "handle's object cannot be waited on (a port, a VMAR)"],
      [
        'ZX_ERR_SHOULD_WAIT',
        'the host (no thread) would wait: no signal is active and the deadline is ahead',
      ],
      ['ZX_ERR_TIMED_OUT', 'the deadline passed first (observed is written)'],
      [
        'ZX_ERR_CANCELED',
        'a thread was waiting when the handle was closed (observed holds ZX_SIGNAL_HANDLE_CLOSED)',
      ],
      ['ZX_ERR_INVALID_ARGS', 'observed cannot be written'],
    ],
    test: 'test/syscalls/object/signals-waits.test.ts',
  },
});
