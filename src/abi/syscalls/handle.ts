// The handle syscalls (zircon/syscalls/handle.h): close, duplicate, replace.

import { ZX_RIGHT_DUPLICATE, ZX_RIGHT_NONE } from '../constants.ts';
import { ANY_OBJECT, consumedHandle, family, handle, outHandle, u32 } from '../syscall-spec.ts';

const TEST = 'test/syscalls/handle/handles.test.ts';

export const HANDLE_SYSCALLS = family({
  zx_handle_close: {
    summary: 'Closes a handle; the object goes when its last handle (and mapping) goes.',
    params: [handle('handle', ANY_OBJECT, ZX_RIGHT_NONE)],
    rights: 'none; closing ZX_HANDLE_INVALID does nothing',
    errors: [['ZX_ERR_BAD_HANDLE', 'handle names nothing in this process']],
    test: TEST,
  },
  zx_handle_duplicate: {
    summary: 'Makes a second handle to the same object, with the same or fewer rights.',
    params: [
      handle('handle', ANY_OBJECT, ZX_RIGHT_DUPLICATE),
      u32('rights', 'rights'),
      outHandle('out'),
    ],
    rights: 'handle: ZX_RIGHT_DUPLICATE',
    errors: [
      ['ZX_ERR_BAD_HANDLE', 'handle names nothing in this process'],
      ['ZX_ERR_ACCESS_DENIED', 'handle lacks ZX_RIGHT_DUPLICATE'],
      ['ZX_ERR_INVALID_ARGS', "rights is not ZX_RIGHT_SAME_RIGHTS nor a subset of the handle's"],
      ['ZX_ERR_NO_MEMORY', "the kernel's handle arena is full"],
      ['ZX_ERR_INVALID_ARGS', 'out cannot be written (the new handle is destroyed)'],
    ],
    test: TEST,
  },
  zx_handle_replace: {
    summary: 'Replaces a handle by a new one with the same or fewer rights; the old one is gone.',
    params: [
      consumedHandle('handle', ANY_OBJECT, ZX_RIGHT_NONE),
      u32('rights', 'rights'),
      outHandle('out'),
    ],
    rights: 'none; the handle is consumed whenever it is valid, even when the call fails',
    errors: [
      ['ZX_ERR_BAD_HANDLE', 'handle names nothing in this process'],
      ['ZX_ERR_INVALID_ARGS', "rights is not ZX_RIGHT_SAME_RIGHTS nor a subset of the handle's"],
      [
        'ZX_ERR_NO_MEMORY',
        "the kernel's handle arena is full (the handle stays: the new one is made first)",
      ],
      ['ZX_ERR_INVALID_ARGS', 'out cannot be written (the new handle is destroyed)'],
    ],
    test: TEST,
  },
  zx_handle_check_valid: {
    summary: 'Tells whether a value names a handle of this process, without a bad-handle policy.',
    params: [handle('handle', ANY_OBJECT, ZX_RIGHT_NONE)],
    rights: 'none',
    errors: [
      ['ZX_ERR_INVALID_ARGS', 'handle is ZX_HANDLE_INVALID (0)'],
      ['ZX_ERR_OUT_OF_RANGE', 'a bit of ZX_HANDLE_FIXED_BITS_MASK is clear: never a handle value'],
      ['ZX_ERR_NOT_FOUND', 'a well-formed value that names no handle (closed, or never made)'],
    ],
    test: TEST,
  },
});
