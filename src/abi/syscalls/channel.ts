// The channel syscalls (zircon/syscalls.h: zx_channel_*).

import { ZX_OBJ_TYPE_CHANNEL, ZX_RIGHT_READ, ZX_RIGHT_WRITE } from '../constants.ts';
import { ZX_CHANNEL_CALL_ARGS_LAYOUT, ZX_HANDLE_LAYOUT } from '../structs-ipc.ts';
import {
  bufferIn,
  bufferOut,
  family,
  handle,
  outHandle,
  outU32,
  structIn,
  time,
  u32,
} from '../syscall-spec.ts';

const TESTS = 'test/syscalls/channel/channel-read-write.test.ts';

/** What goes wrong building and sending a message, in Zircon's order (write and call). */
const MESSAGE_ERRORS = [
  [
    'ZX_ERR_OUT_OF_RANGE',
    'more than 65536 bytes or 64 handles (with ZX_CHANNEL_WRITE_USE_IOVEC: more than 8192 iovecs, or more than 65536 bytes in all)',
  ],
  [
    'ZX_ERR_INVALID_ARGS',
    'the bytes cannot be read (with ZX_CHANNEL_WRITE_USE_IOVEC: an iovec is unreadable, has reserved bits or points at unreadable bytes)',
  ],
  ['ZX_ERR_NOT_FOUND', 'bytes or handles are host memory shorter than their counts say'],
] as const;

/** The checks of each listed handle; every one leaves the table whatever happens. */
const HANDLE_ERRORS = [
  ['ZX_ERR_INVALID_ARGS', 'the handle array cannot be read'],
  ['ZX_ERR_BAD_HANDLE', 'a listed handle names nothing, or is listed twice'],
  ['ZX_ERR_ACCESS_DENIED', 'a listed handle lacks ZX_RIGHT_TRANSFER'],
  ['ZX_ERR_NOT_SUPPORTED', 'the channel written to is itself listed (its handle is closed)'],
] as const;

export const CHANNEL_SYSCALLS = family({
  zx_channel_create: {
    summary: 'Makes a channel: two endpoints, each reading what the other writes.',
    params: [u32('options'), outHandle('out0'), outHandle('out1')],
    rights: 'job policy: ZX_POL_NEW_CHANNEL; both handles have ZX_DEFAULT_CHANNEL_RIGHTS',
    errors: [
      ['ZX_ERR_INVALID_ARGS', 'options is not 0 (checked first)'],
      ['ZX_ERR_ACCESS_DENIED', "the caller's job policy denies ZX_POL_NEW_CHANNEL"],
      ['ZX_ERR_NO_MEMORY', "the kernel's handle arena cannot hold both (both endpoints go)"],
      ['ZX_ERR_INVALID_ARGS', 'out0 or out1 cannot be written (both endpoints are destroyed)'],
    ],
    test: TESTS,
  },
  zx_channel_read: {
    summary: 'Takes the first message: its bytes, then its handles, moved into this process.',
    params: [
      handle('handle', ZX_OBJ_TYPE_CHANNEL, ZX_RIGHT_READ),
      u32('options', 'channel_read_options'),
      bufferOut('bytes', 'num_bytes'),
      bufferOut('handles', 'num_handles', ZX_HANDLE_LAYOUT),
      u32('num_bytes'),
      u32('num_handles'),
      outU32('actual_bytes'),
      outU32('actual_handles'),
    ],
    rights: 'handle: ZX_RIGHT_READ',
    errors: [
      ['ZX_ERR_BAD_HANDLE', 'handle names nothing in this process'],
      ['ZX_ERR_WRONG_TYPE', 'handle is not a channel'],
      ['ZX_ERR_ACCESS_DENIED', 'handle lacks ZX_RIGHT_READ'],
      ['ZX_ERR_NOT_SUPPORTED', 'options has bits other than ZX_CHANNEL_READ_MAY_DISCARD'],
      ['ZX_ERR_SHOULD_WAIT', 'no message is queued and the peer is open'],
      ['ZX_ERR_PEER_CLOSED', 'no message is queued and the peer is closed'],
      [
        'ZX_ERR_INVALID_ARGS',
        'actual_bytes or actual_handles cannot be written, or bytes or handles cannot (the message taken is lost with its handles)',
      ],
      [
        'ZX_ERR_BUFFER_TOO_SMALL',
        "num_bytes or num_handles is below the first message's: its sizes are written to the actuals; it stays queued, or with ZX_CHANNEL_READ_MAY_DISCARD is destroyed",
      ],
      [
        'ZX_ERR_NOT_FOUND',
        'bytes or handles are host memory shorter than num_bytes or num_handles say',
      ],
    ],
    test: TESTS,
  },
  zx_channel_write: {
    summary:
      'Sends a message to the peer; every listed handle leaves this process, even on failure.',
    params: [
      handle('handle', ZX_OBJ_TYPE_CHANNEL, ZX_RIGHT_WRITE),
      u32('options', 'channel_write_options'),
      bufferIn('bytes', 'num_bytes'),
      u32('num_bytes'),
      bufferIn('handles', 'num_handles', ZX_HANDLE_LAYOUT),
      u32('num_handles'),
    ],
    rights: 'handle: ZX_RIGHT_WRITE; every listed handle: ZX_RIGHT_TRANSFER',
    errors: [
      ['ZX_ERR_INVALID_ARGS', 'options has bits other than ZX_CHANNEL_WRITE_USE_IOVEC'],
      ['ZX_ERR_BAD_HANDLE', 'handle names nothing in this process'],
      ['ZX_ERR_WRONG_TYPE', 'handle is not a channel'],
      ['ZX_ERR_ACCESS_DENIED', 'handle lacks ZX_RIGHT_WRITE'],
      ...MESSAGE_ERRORS,
      ...HANDLE_ERRORS,
      ['ZX_ERR_PEER_CLOSED', 'the peer is closed (the message and its handles are destroyed)'],
    ],
    test: TESTS,
  },
  zx_channel_call: {
    summary:
      'Writes a request with a kernel txid and waits for the reply with that txid, then reads it.',
    params: [
      handle('handle', ZX_OBJ_TYPE_CHANNEL, ZX_RIGHT_READ | ZX_RIGHT_WRITE),
      u32('options', 'channel_write_options'),
      time('deadline'),
      structIn('args', ZX_CHANNEL_CALL_ARGS_LAYOUT),
      outU32('actual_bytes'),
      outU32('actual_handles'),
    ],
    rights:
      'handle: ZX_RIGHT_READ and ZX_RIGHT_WRITE; every listed handle: ZX_RIGHT_TRANSFER (args pointers are user addresses)',
    errors: [
      ['ZX_ERR_INVALID_ARGS', 'args cannot be read (checked first; no handle is consumed)'],
      ['ZX_ERR_NOT_FOUND', 'args is host memory shorter than a zx_channel_call_args_t'],
      ['ZX_ERR_INVALID_ARGS', 'options has bits other than ZX_CHANNEL_WRITE_USE_IOVEC'],
      ['ZX_ERR_BAD_HANDLE', 'handle names nothing in this process'],
      ['ZX_ERR_WRONG_TYPE', 'handle is not a channel'],
      ['ZX_ERR_ACCESS_DENIED', 'handle lacks ZX_RIGHT_READ or ZX_RIGHT_WRITE'],
      ...MESSAGE_ERRORS,
      ['ZX_ERR_INVALID_ARGS', 'the request is shorter than a txid (4 bytes)'],
      ...HANDLE_ERRORS,
      ['ZX_ERR_PEER_CLOSED', 'the peer is closed, or closes while the caller waits'],
      [
        'ZX_ERR_SHOULD_WAIT',
        'the host (no thread) sent the request and the deadline is ahead: the reply will queue as an ordinary message',
      ],
      ['ZX_ERR_TIMED_OUT', 'the deadline passed before the reply (the request stays sent)'],
      ['ZX_ERR_CANCELED', "the caller's handle to the channel was closed while it waited"],
      [
        'ZX_ERR_BUFFER_TOO_SMALL',
        'the reply is larger than rd_num_bytes or rd_num_handles (it is destroyed)',
      ],
      [
        'ZX_ERR_INVALID_ARGS',
        'actual_bytes, actual_handles, rd_bytes or rd_handles cannot be written (the reply is lost)',
      ],
    ],
    test: 'test/syscalls/channel/channel-call.test.ts',
  },
});
