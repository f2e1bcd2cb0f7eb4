// The VMAR syscalls (zircon/syscalls.h, vmar group): sub-VMARs, mappings, unmapping,
// protection, destruction and range operations. The order of the errors is Zircon's
// (docs/zircon-notes/vmar.md §1-§5).

import {
  ZX_OBJ_TYPE_VMAR,
  ZX_OBJ_TYPE_VMO,
  ZX_RIGHT_NONE,
  ZX_RIGHT_OP_CHILDREN,
} from '../constants.ts';
import {
  bufferOut,
  family,
  handle,
  outHandle,
  outU64,
  pagerWait,
  u32,
  u64,
} from '../syscall-spec.ts';

const ALLOCATE_TEST = 'test/syscalls/vmar/allocate.test.ts';
const MAP_TEST = 'test/syscalls/vmar/map.test.ts';
const UNMAP_PROTECT_TEST = 'test/syscalls/vmar/unmap-protect.test.ts';

export const VMAR_SYSCALLS = family({
  zx_vmar_allocate: {
    summary: 'Makes a sub-VMAR: at an offset, below a limit, or at the lowest free spot.',
    params: [
      handle('parent_vmar', ZX_OBJ_TYPE_VMAR, ZX_RIGHT_NONE),
      u32('options', 'vm_options'),
      u64('offset'),
      u64('size'),
      outHandle('child_vmar'),
      outU64('child_addr'),
    ],
    rights:
      'parent_vmar: ZX_RIGHT_READ, ZX_RIGHT_WRITE, ZX_RIGHT_EXECUTE for CAN_MAP_READ, CAN_MAP_WRITE, CAN_MAP_EXECUTE; the new handle has ZX_DEFAULT_VMAR_RIGHTS plus those of its CAN_MAP flags',
    errors: [
      ['ZX_ERR_BAD_HANDLE', 'parent_vmar names nothing in this process'],
      ['ZX_ERR_WRONG_TYPE', 'parent_vmar is not a VMAR'],
      ['ZX_ERR_ACCESS_DENIED', 'parent_vmar lacks the right of a CAN_MAP_* option'],
      [
        'ZX_ERR_INVALID_ARGS',
        'unknown option bits or an alignment outside 2^10 .. 2^32; a PERM_* bit; size not page aligned; an option only mappings take',
      ],
      ['ZX_ERR_BAD_STATE', 'the parent VMAR is destroyed'],
      ['ZX_ERR_INVALID_ARGS', 'size is 0'],
      ['ZX_ERR_ACCESS_DENIED', 'a CAN_MAP_* flag the parent VMAR lacks'],
      [
        'ZX_ERR_INVALID_ARGS',
        'SPECIFIC with OFFSET_IS_UPPER_LIMIT; an offset without either; offset not page aligned',
      ],
      [
        'ZX_ERR_ACCESS_DENIED',
        'SPECIFIC or OFFSET_IS_UPPER_LIMIT in a parent without CAN_MAP_SPECIFIC',
      ],
      [
        'ZX_ERR_INVALID_ARGS',
        'the range does not fit the parent; a SPECIFIC base without the requested alignment',
      ],
      ['ZX_ERR_ALREADY_EXISTS', 'a SPECIFIC range overlaps a mapping or a sub-VMAR'],
      ['ZX_ERR_NO_RESOURCES', 'no free spot fits'],
      ['ZX_ERR_NO_MEMORY', "the kernel's handle arena is full (the new VMAR is destroyed)"],
      [
        'ZX_ERR_INVALID_ARGS',
        'child_addr cannot be written (the new VMAR is destroyed), then child_vmar cannot be written (its handle is destroyed; the VMAR stays, as closing a VMAR handle leaves it)',
      ],
    ],
    test: ALLOCATE_TEST,
  },
  zx_vmar_map: {
    summary: 'Maps a range of a VMO into a VMAR with the given permissions.',
    params: [
      handle('handle', ZX_OBJ_TYPE_VMAR, ZX_RIGHT_NONE),
      u32('options', 'vm_options'),
      u64('vmar_offset'),
      handle('vmo', ZX_OBJ_TYPE_VMO, ZX_RIGHT_NONE),
      u64('vmo_offset'),
      u64('len'),
      outU64('mapped_addr'),
    ],
    rights:
      'vmo: ZX_RIGHT_MAP; both handles: ZX_RIGHT_READ, ZX_RIGHT_WRITE, ZX_RIGHT_EXECUTE for PERM_READ, PERM_WRITE, PERM_EXECUTE (what both allow is the most zx_vmar_protect may grant later)',
    errors: [
      ['ZX_ERR_BAD_HANDLE', 'handle names nothing in this process'],
      ['ZX_ERR_WRONG_TYPE', 'handle is not a VMAR'],
      ['ZX_ERR_BAD_HANDLE', 'vmo names nothing in this process'],
      ['ZX_ERR_WRONG_TYPE', 'vmo is not a VMO'],
      ['ZX_ERR_NOT_SUPPORTED', 'FAULT_BEYOND_STREAM_SIZE on a physical or contiguous VMO'],
      ['ZX_ERR_ACCESS_DENIED', 'vmo lacks ZX_RIGHT_MAP'],
      [
        'ZX_ERR_INVALID_ARGS',
        'WRITE or EXECUTE without READ; MAP_RANGE with SPECIFIC_OVERWRITE; a CAN_MAP_* option',
      ],
      ['ZX_ERR_ACCESS_DENIED', 'a permission whose right either handle lacks'],
      [
        'ZX_ERR_INVALID_ARGS',
        'FAULT_BEYOND_STREAM_SIZE without ALLOW_FAULTS; unknown option bits; an alignment outside 2^10 .. 2^32',
      ],
      [
        'ZX_ERR_NOT_SUPPORTED',
        'REQUIRE_NON_RESIZABLE on a resizable VMO; a discardable VMO without ALLOW_FAULTS',
      ],
      ['ZX_ERR_INVALID_ARGS', 'COMPACT or CAN_MAP_SPECIFIC'],
      ['ZX_ERR_ACCESS_DENIED', 'a permission the VMAR may not map'],
      ['ZX_ERR_INVALID_ARGS', 'vmo_offset not page aligned'],
      ['ZX_ERR_OUT_OF_RANGE', 'len rounds up past 2^64, or vmo_offset + len does'],
      ['ZX_ERR_BAD_STATE', 'the VMAR is destroyed'],
      [
        'ZX_ERR_INVALID_ARGS',
        'len is 0; SPECIFIC with OFFSET_IS_UPPER_LIMIT; a vmar_offset without either; vmar_offset not page aligned',
      ],
      [
        'ZX_ERR_ACCESS_DENIED',
        'SPECIFIC or OFFSET_IS_UPPER_LIMIT in a VMAR without CAN_MAP_SPECIFIC',
      ],
      [
        'ZX_ERR_INVALID_ARGS',
        'the range does not fit the VMAR; a SPECIFIC address without the requested alignment; SPECIFIC_OVERWRITE over a sub-VMAR',
      ],
      ['ZX_ERR_ALREADY_EXISTS', 'a SPECIFIC range overlaps a mapping or a sub-VMAR'],
      ['ZX_ERR_NO_RESOURCES', 'no free spot fits'],
      ['ZX_ERR_INVALID_ARGS', 'mapped_addr cannot be written (the mapping is undone)'],
    ],
    test: MAP_TEST,
  },
  zx_vmar_unmap: {
    summary: 'Unmaps a range: trims or splits the mappings it cuts, destroys sub-VMARs inside.',
    params: [handle('handle', ZX_OBJ_TYPE_VMAR, ZX_RIGHT_NONE), u64('addr'), u64('len')],
    rights: 'none; sub-VMARs in the range need ZX_RIGHT_OP_CHILDREN',
    errors: [
      ['ZX_ERR_BAD_HANDLE', 'handle names nothing in this process'],
      ['ZX_ERR_WRONG_TYPE', 'handle is not a VMAR'],
      ['ZX_ERR_INVALID_ARGS', 'addr not page aligned; len 0 or rounding up past 2^64'],
      ['ZX_ERR_BAD_STATE', 'the VMAR is destroyed'],
      [
        'ZX_ERR_INVALID_ARGS',
        'the range is not inside the VMAR; a sub-VMAR only partly in it, or any sub-VMAR without ZX_RIGHT_OP_CHILDREN (nothing is unmapped)',
      ],
    ],
    test: UNMAP_PROTECT_TEST,
  },
  zx_vmar_protect: {
    summary: 'Changes the permissions of a mapped range, within what each mapping may have.',
    params: [
      handle('handle', ZX_OBJ_TYPE_VMAR, ZX_RIGHT_NONE),
      u32('options', 'vm_options'),
      u64('addr'),
      u64('len'),
    ],
    rights:
      'handle: ZX_RIGHT_READ, ZX_RIGHT_WRITE, ZX_RIGHT_EXECUTE for PERM_READ, PERM_WRITE, PERM_EXECUTE; mappings in sub-VMARs need ZX_RIGHT_OP_CHILDREN',
    errors: [
      ['ZX_ERR_BAD_HANDLE', 'handle names nothing in this process'],
      ['ZX_ERR_WRONG_TYPE', 'handle is not a VMAR'],
      ['ZX_ERR_ACCESS_DENIED', 'handle lacks the right of a requested permission'],
      [
        'ZX_ERR_INVALID_ARGS',
        'WRITE or EXECUTE without READ; addr not page aligned; an option other than PERM_*; len 0 or rounding up past 2^64',
      ],
      ['ZX_ERR_BAD_STATE', 'the VMAR is destroyed'],
      ['ZX_ERR_INVALID_ARGS', 'the range is not inside the VMAR'],
      ['ZX_ERR_NOT_FOUND', 'a page of the range is not mapped'],
      ['ZX_ERR_ACCESS_DENIED', "a permission beyond a mapping's CAN_MAP set"],
      ['ZX_ERR_INVALID_ARGS', 'a mapping in a sub-VMAR without ZX_RIGHT_OP_CHILDREN'],
      [
        'ZX_ERR_ACCESS_DENIED',
        'adding a permission to a mapping in a sub-VMAR (nothing changes on any error)',
      ],
    ],
    test: UNMAP_PROTECT_TEST,
  },
  zx_vmar_destroy: {
    summary: 'Unmaps everything in a VMAR and destroys it and its sub-VMARs.',
    params: [handle('handle', ZX_OBJ_TYPE_VMAR, ZX_RIGHT_OP_CHILDREN)],
    rights: 'handle: ZX_RIGHT_OP_CHILDREN',
    errors: [
      ['ZX_ERR_BAD_HANDLE', 'handle names nothing in this process'],
      ['ZX_ERR_WRONG_TYPE', 'handle is not a VMAR'],
      ['ZX_ERR_ACCESS_DENIED', 'handle lacks ZX_RIGHT_OP_CHILDREN'],
      ['ZX_ERR_NOT_SUPPORTED', 'the root VMAR of an address space'],
      ['ZX_ERR_BAD_STATE', 'the VMAR is already destroyed'],
    ],
    test: 'test/syscalls/vmar/destroy.test.ts',
  },
  zx_vmar_op_range: {
    summary: 'Runs a ZX_VMAR_OP_* over the mappings of a range (commit, decommit, zero, ...).',
    params: [
      handle('handle', ZX_OBJ_TYPE_VMAR, ZX_RIGHT_NONE),
      u32('op', 'vmar_op'),
      u64('address'),
      u64('size'),
      bufferOut('buffer', 'buffer_size'),
      u64('buffer_size'),
    ],
    rights:
      "none; COMMIT, DECOMMIT and ZERO need mappings that could be made writable, PREFETCH readable; sub-VMARs' mappings need ZX_RIGHT_OP_CHILDREN",
    errors: [
      ['ZX_ERR_BAD_HANDLE', 'handle names nothing in this process'],
      ['ZX_ERR_WRONG_TYPE', 'handle is not a VMAR'],
      [
        'ZX_ERR_INVALID_ARGS',
        'an unknown op; buffer not NULL or buffer_size not 0; size 0 or rounding up past 2^64; address not page aligned',
      ],
      ['ZX_ERR_OUT_OF_RANGE', 'the range is not inside the VMAR'],
      ['ZX_ERR_BAD_STATE', 'the VMAR is destroyed; a page of the range is not mapped'],
      [
        'ZX_ERR_INVALID_ARGS',
        'a mapping in a sub-VMAR: always for COMMIT, DECOMMIT and PREFETCH, without ZX_RIGHT_OP_CHILDREN for the others',
      ],
      ['ZX_ERR_OUT_OF_RANGE', 'past the stream size of a FAULT_BEYOND_STREAM_SIZE mapping'],
      [
        'ZX_ERR_ACCESS_DENIED',
        'a mapping that could not be made writable (COMMIT, DECOMMIT, ZERO) or readable (PREFETCH)',
      ],
      [
        'ZX_ERR_NOT_SUPPORTED',
        'COMMIT or ZERO of a physical VMO; DECOMMIT of a contiguous, physical or copy-on-write VMO',
      ],
      ['ZX_ERR_OUT_OF_RANGE', 'a piece that starts past the end of its VMO'],
      ['ZX_ERR_BAD_STATE', "DECOMMIT over pinned pages; ZERO of an uncached VMO's partial pages"],
      ['ZX_ERR_NOT_FOUND', 'the VMO was discarded'],
      pagerWait(
        'COMMIT, PREFETCH, ALWAYS_NEED or ZERO of partial pages of a mapped pager-backed VMO',
      ),
      ['ZX_ERR_NO_MEMORY', 'COMMIT runs out of memory (it stops there, keeping what it did)'],
    ],
    test: 'test/syscalls/vmar/op-range.test.ts',
  },
});
