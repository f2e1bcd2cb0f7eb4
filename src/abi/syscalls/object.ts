// The object syscalls (zircon/syscalls/object.h): get_info, properties, signals and waits.

import {
  ZX_RIGHT_ENUMERATE,
  ZX_RIGHT_GET_PROPERTY,
  ZX_RIGHT_NONE,
  ZX_RIGHT_SET_PROPERTY,
  ZX_RIGHT_SIGNAL,
  ZX_RIGHT_WAIT,
} from '../constants.ts';
import {
  ANY_OBJECT,
  bufferIn,
  bufferOut,
  family,
  handle,
  outHandle,
  outU32,
  outU64,
  time,
  u32,
  u64,
} from '../syscall-spec.ts';

const INFO_TEST = 'test/syscalls/object/object-info.test.ts';
const PROPERTY_TEST = 'test/syscalls/object/properties.test.ts';
const SIGNAL_TEST = 'test/syscalls/object/signals-waits.test.ts';
const CHILD_TEST = 'test/syscalls/object/get-child.test.ts';

export const OBJECT_SYSCALLS = family({
  zx_object_get_info: {
    summary:
      'Copies out the records of one topic about an object; actual and avail say how many were written and exist.',
    params: [
      // The type and rights depend on the topic: the implementation adds them per topic.
      handle('handle', ANY_OBJECT, ZX_RIGHT_NONE),
      u32('topic', 'info_topic'),
      bufferOut('buffer', 'buffer_size'),
      u64('buffer_size'),
      outU64('actual'),
      outU64('avail'),
    ],
    rights:
      'per topic: none for HANDLE_VALID, HANDLE_BASIC and every ZX_INFO_VMO version (a VMO); ZX_RIGHT_INSPECT for VMAR and VMAR_MAPS (a VMAR), PROCESS_VMOS (every version) and PROCESS_MAPS (a process); KMEM_STATS and KMEM_STATS_V1: no right, the system resource or a SYSTEM resource covering ZX_RSRC_SYSTEM_INFO_BASE',
    errors: [
      ['ZX_ERR_NOT_SUPPORTED', 'topic is not one zxvm answers (checked before the handle)'],
      ['ZX_ERR_BAD_HANDLE', 'handle names nothing in this process'],
      [
        'ZX_ERR_WRONG_TYPE',
        'the object is not of the kind the topic describes (a resource of another kind for KMEM_STATS)',
      ],
      ['ZX_ERR_ACCESS_DENIED', 'handle lacks ZX_RIGHT_INSPECT where the topic needs it'],
      ['ZX_ERR_OUT_OF_RANGE', 'KMEM_STATS through a SYSTEM resource that does not cover INFO'],
      ['ZX_ERR_BAD_STATE', 'VMAR_MAPS of a destroyed VMAR'],
      [
        'ZX_ERR_INVALID_ARGS',
        'buffer, actual or avail cannot be written (a multi-record topic still writes actual and avail when the records could not be)',
      ],
      ['ZX_ERR_NOT_FOUND', 'host buffer shorter than the records copied'],
      [
        'ZX_ERR_BUFFER_TOO_SMALL',
        'single-record topic with buffer_size below its record (actual 0 and avail 1 are written)',
      ],
    ],
    test: INFO_TEST,
  },
  zx_object_get_property: {
    summary: "Copies out one property of an object (its name, a VMO's content size).",
    params: [
      handle('handle', ANY_OBJECT, ZX_RIGHT_GET_PROPERTY),
      u32('property', 'property'),
      bufferOut('value', 'value_size'),
      u64('value_size'),
    ],
    rights: 'handle: ZX_RIGHT_GET_PROPERTY',
    errors: [
      ['ZX_ERR_INVALID_ARGS', 'value is NULL (checked before the handle); value cannot be written'],
      ['ZX_ERR_BAD_HANDLE', 'handle names nothing in this process'],
      ['ZX_ERR_ACCESS_DENIED', 'handle lacks ZX_RIGHT_GET_PROPERTY'],
      ['ZX_ERR_NOT_SUPPORTED', 'property is unknown'],
      ['ZX_ERR_BUFFER_TOO_SMALL', 'value_size below the size of the property'],
      ['ZX_ERR_WRONG_TYPE', 'the object has no such property'],
      ['ZX_ERR_NOT_FOUND', 'host value shorter than the property'],
    ],
    test: PROPERTY_TEST,
  },
  zx_object_set_property: {
    summary: "Sets one property of an object (its name, a VMO's content size).",
    params: [
      handle('handle', ANY_OBJECT, ZX_RIGHT_SET_PROPERTY),
      u32('property', 'property'),
      bufferIn('value', 'value_size'),
      u64('value_size'),
    ],
    rights: 'handle: ZX_RIGHT_SET_PROPERTY (and ZX_RIGHT_WRITE for ZX_PROP_VMO_CONTENT_SIZE)',
    errors: [
      ['ZX_ERR_INVALID_ARGS', 'value is NULL (checked before the handle); value cannot be read'],
      ['ZX_ERR_BAD_HANDLE', 'handle names nothing in this process'],
      [
        'ZX_ERR_ACCESS_DENIED',
        'handle lacks ZX_RIGHT_SET_PROPERTY; content size without ZX_RIGHT_WRITE (before the size and type checks)',
      ],
      ['ZX_ERR_BUFFER_TOO_SMALL', 'content size with value_size below 8'],
      ['ZX_ERR_WRONG_TYPE', 'the object has no such property (a name is read after the copy)'],
      ['ZX_ERR_NOT_FOUND', 'host value shorter than the bytes read'],
      ['ZX_ERR_NOT_SUPPORTED', 'property is unknown; content size of a physical or contiguous VMO'],
    ],
    test: PROPERTY_TEST,
  },
  zx_object_signal: {
    summary: 'Clears then sets user signals of an object, waking the waits they satisfy.',
    params: [
      handle('handle', ANY_OBJECT, ZX_RIGHT_SIGNAL),
      u32('clear_mask', 'signals'),
      u32('set_mask', 'signals'),
    ],
    rights: 'handle: ZX_RIGHT_SIGNAL',
    errors: [
      ['ZX_ERR_BAD_HANDLE', 'handle names nothing in this process'],
      ['ZX_ERR_ACCESS_DENIED', 'handle lacks ZX_RIGHT_SIGNAL'],
      ['ZX_ERR_INVALID_ARGS', 'a mask holds bits outside ZX_USER_SIGNAL_ALL'],
    ],
    test: SIGNAL_TEST,
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
    test: SIGNAL_TEST,
  },
  zx_object_get_child: {
    summary:
      'A handle to a child of a job (a job or process) or of a process (a thread), found by koid.',
    params: [
      handle('handle', ANY_OBJECT, ZX_RIGHT_ENUMERATE),
      u64('koid'),
      u32('rights', 'rights'),
      outHandle('out'),
    ],
    rights:
      "handle: ZX_RIGHT_ENUMERATE; the new handle gets `rights`, which must be a subset of the parent handle's (ZX_RIGHT_SAME_RIGHTS: the parent handle's own)",
    errors: [
      ['ZX_ERR_BAD_HANDLE', 'handle names nothing in this process'],
      [
        'ZX_ERR_ACCESS_DENIED',
        'handle lacks ZX_RIGHT_ENUMERATE, or rights are not a subset of its rights',
      ],
      ['ZX_ERR_NOT_FOUND', 'no child (job or process of a job, thread of a process) has that koid'],
      ['ZX_ERR_WRONG_TYPE', 'handle is neither a job nor a process'],
      ['ZX_ERR_NO_MEMORY', "the kernel's handle arena is full"],
      ['ZX_ERR_INVALID_ARGS', 'out cannot be written (the new handle is destroyed)'],
    ],
    test: CHILD_TEST,
  },
});
