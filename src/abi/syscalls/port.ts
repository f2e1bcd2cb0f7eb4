// The port syscalls (zircon/syscalls/port.h) and zx_object_wait_async, which feeds ports.

import { ZX_OBJ_TYPE_PORT, ZX_RIGHT_READ, ZX_RIGHT_WAIT, ZX_RIGHT_WRITE } from '../constants.ts';
import { ZX_PORT_PACKET_LAYOUT } from '../structs-ipc.ts';
import {
  ANY_OBJECT,
  family,
  handle,
  outHandle,
  structIn,
  structOut,
  time,
  u32,
  u64,
} from '../syscall-spec.ts';

const PORT_LOOKUP = [
  ['ZX_ERR_BAD_HANDLE', 'handle names nothing in this process'],
  ['ZX_ERR_WRONG_TYPE', 'handle is not a port'],
] as const;

export const PORT_SYSCALLS = family({
  zx_port_create: {
    summary: 'Makes a port: a queue of packets that threads wait on.',
    params: [u32('options', 'port_options'), outHandle('out')],
    rights: 'job policy: ZX_POL_NEW_PORT; the new handle has ZX_DEFAULT_PORT_RIGHTS',
    errors: [
      ['ZX_ERR_ACCESS_DENIED', "the caller's job policy denies ZX_POL_NEW_PORT"],
      ['ZX_ERR_INVALID_ARGS', 'options is neither 0 nor ZX_PORT_BIND_TO_INTERRUPT'],
      ['ZX_ERR_NO_MEMORY', "the kernel's handle arena is full (the port is destroyed)"],
      ['ZX_ERR_INVALID_ARGS', 'out cannot be written (the port is destroyed)'],
    ],
    test: 'test/syscalls/port/port-queue-wait.test.ts',
  },
  zx_port_queue: {
    summary: 'Queues a user packet (its type forced to ZX_PKT_TYPE_USER).',
    params: [
      handle('handle', ZX_OBJ_TYPE_PORT, ZX_RIGHT_WRITE),
      structIn('packet', ZX_PORT_PACKET_LAYOUT),
    ],
    rights: 'handle: ZX_RIGHT_WRITE',
    errors: [
      ...PORT_LOOKUP,
      ['ZX_ERR_ACCESS_DENIED', 'handle lacks ZX_RIGHT_WRITE'],
      ['ZX_ERR_INVALID_ARGS', 'packet is NULL or unmapped user memory'],
      ['ZX_ERR_NOT_FOUND', 'packet is host memory shorter than a zx_port_packet_t (48 bytes)'],
      [
        'ZX_ERR_SHOULD_WAIT',
        'more than 4096 user packets are queued (Zircon also raises a policy exception)',
      ],
    ],
    test: 'test/syscalls/port/port-queue-wait.test.ts',
  },
  zx_port_wait: {
    summary: 'Takes the oldest packet, waiting for one until the deadline.',
    params: [
      handle('handle', ZX_OBJ_TYPE_PORT, ZX_RIGHT_READ),
      time('deadline'),
      structOut('packet', ZX_PORT_PACKET_LAYOUT),
    ],
    rights: 'handle: ZX_RIGHT_READ',
    errors: [
      ...PORT_LOOKUP,
      ['ZX_ERR_ACCESS_DENIED', 'handle lacks ZX_RIGHT_READ'],
      [
        'ZX_ERR_SHOULD_WAIT',
        'the host (no thread) found the port empty with the deadline ahead; a thread waits',
      ],
      ['ZX_ERR_TIMED_OUT', 'the deadline passed with no packet'],
      ['ZX_ERR_INVALID_ARGS', 'packet cannot be written (the packet taken is lost)'],
      ['ZX_ERR_NOT_FOUND', 'packet is host memory shorter than 48 bytes (the packet is lost)'],
    ],
    test: 'test/syscalls/port/port-queue-wait.test.ts',
  },
  zx_port_cancel: {
    summary: 'Cancels the waits made through source with key, and removes their queued packets.',
    params: [
      handle('handle', ZX_OBJ_TYPE_PORT, ZX_RIGHT_WRITE),
      handle('source', ANY_OBJECT, ZX_RIGHT_WAIT),
      u64('key'),
    ],
    rights: 'handle: ZX_RIGHT_WRITE; source: ZX_RIGHT_WAIT',
    errors: [
      ...PORT_LOOKUP,
      ['ZX_ERR_ACCESS_DENIED', 'handle lacks ZX_RIGHT_WRITE'],
      ['ZX_ERR_BAD_HANDLE', 'source names nothing in this process'],
      ['ZX_ERR_ACCESS_DENIED', 'source lacks ZX_RIGHT_WAIT'],
      ['ZX_ERR_NOT_SUPPORTED', "source's object cannot be waited on"],
      ['ZX_ERR_NOT_FOUND', 'no wait and no queued packet of source with key'],
    ],
    test: 'test/syscalls/port/port-cancel.test.ts',
  },
  zx_port_cancel_key: {
    summary: 'Cancels every wait on the port with key, and removes every queued packet with it.',
    params: [handle('handle', ZX_OBJ_TYPE_PORT, ZX_RIGHT_WRITE), u32('options'), u64('key')],
    rights: 'handle: ZX_RIGHT_WRITE',
    errors: [
      ['ZX_ERR_INVALID_ARGS', 'options is not 0 (checked first)'],
      ...PORT_LOOKUP,
      ['ZX_ERR_ACCESS_DENIED', 'handle lacks ZX_RIGHT_WRITE'],
      ['ZX_ERR_NOT_FOUND', 'no wait and no queued packet with key'],
    ],
    test: 'test/syscalls/port/port-cancel.test.ts',
  },
  zx_object_wait_async: {
    summary:
      'Asks for one signal packet on port when one of signals is active (or, with EDGE, rises).',
    params: [
      handle('handle', ANY_OBJECT, ZX_RIGHT_WAIT),
      handle('port', ZX_OBJ_TYPE_PORT, ZX_RIGHT_WRITE),
      u64('key'),
      u32('signals', 'signals'),
      u32('options', 'wait_async_options'),
    ],
    rights: 'handle: ZX_RIGHT_WAIT; port: ZX_RIGHT_WRITE',
    errors: [
      [
        'ZX_ERR_INVALID_ARGS',
        'options has bits other than TIMESTAMP, BOOT_TIMESTAMP and EDGE, or both timestamps (checked first)',
      ],
      ['ZX_ERR_BAD_HANDLE', 'port names nothing in this process'],
      ['ZX_ERR_WRONG_TYPE', 'port is not a port'],
      ['ZX_ERR_ACCESS_DENIED', 'port lacks ZX_RIGHT_WRITE'],
      ['ZX_ERR_BAD_HANDLE', 'handle names nothing in this process'],
      ['ZX_ERR_ACCESS_DENIED', 'handle lacks ZX_RIGHT_WAIT'],
      ['ZX_ERR_NOT_SUPPORTED', "handle's object cannot be waited on"],
    ],
    test: 'test/syscalls/port/wait-async.test.ts',
  },
});
