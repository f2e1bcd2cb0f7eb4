// The pager syscalls (zircon/vdso/pager.fidl; Zircon's lib/syscalls/pager.cc): a user pager
// creates VMOs whose pages it supplies when the kernel asks for them on a port.

import {
  ZX_OBJ_TYPE_PAGER,
  ZX_OBJ_TYPE_PORT,
  ZX_OBJ_TYPE_VMO,
  ZX_RIGHT_ATTACH_VMO,
  ZX_RIGHT_MANAGE_VMO,
  ZX_RIGHT_READ,
  ZX_RIGHT_WRITE,
} from '../constants.ts';
import { bufferOut, family, handle, outHandle, outU64, u32, u64 } from '../syscall-spec.ts';

const PAGER_TEST = 'test/syscalls/pager/pager-syscalls.test.ts';
const WRITEBACK_TEST = 'test/syscalls/pager/pager-writeback.test.ts';

/** The pager then the pager's VMO, which needs `vmoRight`: looked up in this order. */
function pagerThenVmo(vmoRight: 'ZX_RIGHT_READ' | 'ZX_RIGHT_WRITE') {
  return [
    ['ZX_ERR_BAD_HANDLE', 'pager names nothing in this process'],
    ['ZX_ERR_WRONG_TYPE', 'pager is not a pager'],
    ['ZX_ERR_ACCESS_DENIED', 'pager lacks ZX_RIGHT_MANAGE_VMO'],
    ['ZX_ERR_BAD_HANDLE', 'pager_vmo names nothing in this process'],
    ['ZX_ERR_WRONG_TYPE', 'pager_vmo is not a VMO'],
    ['ZX_ERR_ACCESS_DENIED', `pager_vmo lacks ${vmoRight}`],
  ] as const;
}

/** The pager then the pager's VMO, as supply_pages and op_range look them up. */
const PAGER_AND_VMO = [
  ...pagerThenVmo('ZX_RIGHT_WRITE'),
  ['ZX_ERR_INVALID_ARGS', 'pager_vmo was not created by pager'],
] as const;

/** The pager then its VMO, which must be readable: the queries. */
const PAGER_AND_READABLE_VMO = pagerThenVmo('ZX_RIGHT_READ');

export const PAGER_SYSCALLS = family({
  zx_pager_create: {
    summary: 'Makes a pager: the object that creates pager-backed VMOs and supplies their pages.',
    params: [u32('options'), outHandle('out')],
    rights: 'job policy: ZX_POL_NEW_PAGER; the new handle has ZX_DEFAULT_PAGER_RIGHTS',
    errors: [
      ['ZX_ERR_ACCESS_DENIED', "the caller's job policy denies ZX_POL_NEW_PAGER"],
      ['ZX_ERR_INVALID_ARGS', 'options is not 0'],
      ['ZX_ERR_NO_MEMORY', "the kernel's handle arena is full (the pager is destroyed)"],
      ['ZX_ERR_INVALID_ARGS', 'out cannot be written (the pager is destroyed)'],
    ],
    test: PAGER_TEST,
  },
  zx_pager_create_vmo: {
    summary:
      'Creates a VMO of size bytes whose pages the pager supplies; requests go to port with key.',
    params: [
      handle('pager', ZX_OBJ_TYPE_PAGER, ZX_RIGHT_ATTACH_VMO),
      u32('options', 'vmo_options'),
      // The port's right is checked before its type (the syscall looks it up itself).
      handle('port', ZX_OBJ_TYPE_PORT, ZX_RIGHT_WRITE),
      u64('key'),
      u64('size'),
      outHandle('out'),
    ],
    rights:
      'job policy: ZX_POL_NEW_VMO; pager: ZX_RIGHT_ATTACH_VMO; port: ZX_RIGHT_WRITE; the new handle has ZX_DEFAULT_VMO_RIGHTS, and ZX_RIGHT_RESIZE when RESIZABLE',
    errors: [
      ['ZX_ERR_ACCESS_DENIED', 'the job policy denies ZX_POL_NEW_VMO (checked first)'],
      ['ZX_ERR_BAD_HANDLE', 'pager names nothing in this process'],
      ['ZX_ERR_WRONG_TYPE', 'pager is not a pager'],
      ['ZX_ERR_ACCESS_DENIED', 'pager lacks ZX_RIGHT_ATTACH_VMO'],
      ['ZX_ERR_BAD_HANDLE', 'port names nothing in this process'],
      ['ZX_ERR_ACCESS_DENIED', 'port lacks ZX_RIGHT_WRITE (checked before its type)'],
      ['ZX_ERR_WRONG_TYPE', 'port is not a port'],
      [
        'ZX_ERR_INVALID_ARGS',
        'options has bits other than RESIZABLE, TRAP_DIRTY and UNBOUNDED, or both RESIZABLE and UNBOUNDED; out cannot be written',
      ],
      ['ZX_ERR_OUT_OF_RANGE', 'size rounds up past the largest VMO'],
      ['ZX_ERR_NO_MEMORY', "the kernel's handle arena is full (the VMO is destroyed)"],
    ],
    test: PAGER_TEST,
  },
  zx_pager_detach_vmo: {
    summary:
      'Detaches a VMO from its pager: COMPLETE is sent, waiters fail, unsupplied pages stay missing.',
    params: [
      handle('pager', ZX_OBJ_TYPE_PAGER, ZX_RIGHT_ATTACH_VMO | ZX_RIGHT_MANAGE_VMO),
      handle('vmo', ZX_OBJ_TYPE_VMO, ZX_RIGHT_WRITE),
    ],
    rights: 'pager: ZX_RIGHT_ATTACH_VMO and ZX_RIGHT_MANAGE_VMO; vmo: ZX_RIGHT_WRITE',
    errors: [
      ['ZX_ERR_BAD_HANDLE', 'pager names nothing in this process'],
      ['ZX_ERR_WRONG_TYPE', 'pager is not a pager'],
      ['ZX_ERR_ACCESS_DENIED', 'pager lacks ZX_RIGHT_ATTACH_VMO or ZX_RIGHT_MANAGE_VMO'],
      ['ZX_ERR_BAD_HANDLE', 'vmo names nothing in this process'],
      ['ZX_ERR_WRONG_TYPE', 'vmo is not a VMO'],
      ['ZX_ERR_ACCESS_DENIED', 'vmo lacks ZX_RIGHT_WRITE'],
      ['ZX_ERR_INVALID_ARGS', 'vmo was not created by pager'],
    ],
    test: PAGER_TEST,
  },
  zx_pager_supply_pages: {
    summary:
      "Moves the pages of aux_vmo's range into the pager VMO's missing pages (present ones are kept).",
    params: [
      handle('pager', ZX_OBJ_TYPE_PAGER, ZX_RIGHT_MANAGE_VMO),
      handle('pager_vmo', ZX_OBJ_TYPE_VMO, ZX_RIGHT_WRITE),
      u64('offset'),
      u64('length'),
      handle('aux_vmo', ZX_OBJ_TYPE_VMO, ZX_RIGHT_READ | ZX_RIGHT_WRITE),
      u64('aux_offset'),
    ],
    rights:
      'pager: ZX_RIGHT_MANAGE_VMO; pager_vmo: ZX_RIGHT_WRITE; aux_vmo: ZX_RIGHT_READ and ZX_RIGHT_WRITE',
    errors: [
      ['ZX_ERR_INVALID_ARGS', 'offset, length or aux_offset is not page aligned (checked first)'],
      ...PAGER_AND_VMO,
      ['ZX_ERR_BAD_HANDLE', 'aux_vmo names nothing in this process'],
      ['ZX_ERR_WRONG_TYPE', 'aux_vmo is not a VMO'],
      ['ZX_ERR_ACCESS_DENIED', 'aux_vmo lacks ZX_RIGHT_READ or ZX_RIGHT_WRITE'],
      ['ZX_ERR_NOT_SUPPORTED', 'aux_vmo is pager-backed, contiguous or physical'],
      [
        'ZX_ERR_OUT_OF_RANGE',
        "the range passes the end of aux_vmo, or of pager_vmo (aux_vmo's pages are then lost)",
      ],
      [
        'ZX_ERR_BAD_STATE',
        'pages of the aux range are pinned; or pager_vmo is detached (the pages taken are lost)',
      ],
      ['ZX_ERR_NO_MEMORY', 'pages aux_vmo shares copy-on-write cannot be copied out'],
    ],
    test: PAGER_TEST,
  },
  zx_pager_op_range: {
    summary:
      "Acts on a range of the pager's VMO: FAIL ends its page requests with the status in data; DIRTY dirties pages (answering DIRTY requests); WRITEBACK_BEGIN and WRITEBACK_END clean them.",
    params: [
      handle('pager', ZX_OBJ_TYPE_PAGER, ZX_RIGHT_MANAGE_VMO),
      u32('op'),
      handle('pager_vmo', ZX_OBJ_TYPE_VMO, ZX_RIGHT_WRITE),
      u64('offset'),
      u64('length'),
      u64('data'),
    ],
    rights: 'pager: ZX_RIGHT_MANAGE_VMO; pager_vmo: ZX_RIGHT_WRITE',
    errors: [
      ['ZX_ERR_INVALID_ARGS', 'offset or length is not page aligned (checked first)'],
      ...PAGER_AND_VMO,
      [
        'ZX_ERR_INVALID_ARGS',
        'FAIL with data other than IO, IO_DATA_INTEGRITY, BAD_STATE, NO_SPACE or BUFFER_TOO_SMALL',
      ],
      [
        'ZX_ERR_INVALID_ARGS',
        'DIRTY or WRITEBACK_END with data other than 0; WRITEBACK_BEGIN with data other than 0 or ZX_VMO_DIRTY_RANGE_IS_ZERO',
      ],
      ['ZX_ERR_NOT_SUPPORTED', 'op is not FAIL, DIRTY, WRITEBACK_BEGIN or WRITEBACK_END'],
      ['ZX_ERR_OUT_OF_RANGE', 'the range passes the end of pager_vmo'],
      ['ZX_ERR_BAD_STATE', 'FAIL on a detached VMO'],
      ['ZX_ERR_NOT_SUPPORTED', 'DIRTY on a VMO created without ZX_VMO_TRAP_DIRTY'],
      ['ZX_ERR_NOT_FOUND', 'DIRTY over a page the pager never supplied (its DIRTY requests retry)'],
      ['ZX_ERR_NO_MEMORY', 'DIRTY cannot commit the zero pages of the range'],
    ],
    test: PAGER_TEST,
  },
  zx_pager_query_vmo_stats: {
    summary:
      "Copies out the pager VMO's zx_pager_vmo_stats_t (whether it was modified), optionally resetting it.",
    params: [
      handle('pager', ZX_OBJ_TYPE_PAGER, ZX_RIGHT_MANAGE_VMO),
      handle('pager_vmo', ZX_OBJ_TYPE_VMO, ZX_RIGHT_READ),
      u32('options'),
      bufferOut('buffer', 'buffer_size'),
      u64('buffer_size'),
    ],
    rights: 'pager: ZX_RIGHT_MANAGE_VMO; pager_vmo: ZX_RIGHT_READ',
    errors: [
      ...PAGER_AND_READABLE_VMO,
      ['ZX_ERR_INVALID_ARGS', 'pager_vmo was not created by pager, or is a slice or reference'],
      ['ZX_ERR_BUFFER_TOO_SMALL', 'buffer_size is less than 4 (one zx_pager_vmo_stats_t)'],
      [
        'ZX_ERR_INVALID_ARGS',
        'options has bits other than ZX_PAGER_RESET_VMO_STATS; buffer cannot be written (a reset still happened)',
      ],
      ['ZX_ERR_NOT_FOUND', 'buffer is host memory shorter than 4 bytes (a reset still happened)'],
    ],
    test: PAGER_TEST,
  },
  zx_pager_query_dirty_ranges: {
    summary:
      "Copies out the dirty ranges (zx_vmo_dirty_range_t, zero ranges flagged ZX_VMO_DIRTY_RANGE_IS_ZERO) of a range of the pager's VMO.",
    params: [
      handle('pager', ZX_OBJ_TYPE_PAGER, ZX_RIGHT_MANAGE_VMO),
      handle('pager_vmo', ZX_OBJ_TYPE_VMO, ZX_RIGHT_READ),
      u64('offset'),
      u64('length'),
      bufferOut('buffer', 'buffer_size'),
      u64('buffer_size'),
      outU64('actual'),
      outU64('avail'),
    ],
    rights: 'pager: ZX_RIGHT_MANAGE_VMO; pager_vmo: ZX_RIGHT_READ',
    errors: [
      ...PAGER_AND_READABLE_VMO,
      [
        'ZX_ERR_INVALID_ARGS',
        'pager_vmo was not created by pager, or is a slice or reference; offset or length is not page aligned',
      ],
      ['ZX_ERR_OUT_OF_RANGE', 'the range passes the end of pager_vmo'],
      ['ZX_ERR_INVALID_ARGS', 'buffer, actual or avail cannot be written'],
      ['ZX_ERR_NOT_FOUND', 'host buffer shorter than the ranges copied'],
    ],
    test: WRITEBACK_TEST,
  },
});
