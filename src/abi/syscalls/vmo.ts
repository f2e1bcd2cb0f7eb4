// The zx_vmo_* syscalls (zircon/syscalls.h, vmo.fidl) that anonymous and device VMOs share;
// zx_vmo_create_contiguous and zx_vmo_create_physical are in ddk.ts. Errors are listed in the
// order Zircon checks them (docs/zircon-notes/vmo-syscalls.md and children.md).

import {
  ZX_OBJ_TYPE_RESOURCE,
  ZX_OBJ_TYPE_VMO,
  ZX_RIGHT_DUPLICATE,
  ZX_RIGHT_MAP,
  ZX_RIGHT_NONE,
  ZX_RIGHT_READ,
  ZX_RIGHT_WRITE,
} from '../constants.ts';
import {
  bufferIn,
  bufferOut,
  consumedHandle,
  family,
  handle,
  outHandle,
  outU64,
  pagerWait,
  u32,
  u64,
  u64Raw,
} from '../syscall-spec.ts';

const DIR = 'test/syscalls/vmo';

const LOOKUP: readonly (readonly [string, string])[] = [
  ['ZX_ERR_BAD_HANDLE', 'handle names nothing in this process'],
  ['ZX_ERR_WRONG_TYPE', 'handle is not a VMO'],
];

export const VMO_SYSCALLS = family({
  zx_vmo_create: {
    summary: 'Creates a paged VMO of size bytes rounded up to pages; its content size is size.',
    params: [u64('size'), u32('options', 'vmo_options'), outHandle('out')],
    rights:
      'job policy: ZX_POL_NEW_VMO; the new handle has ZX_DEFAULT_VMO_RIGHTS, and ZX_RIGHT_RESIZE when RESIZABLE',
    errors: [
      ['ZX_ERR_ACCESS_DENIED', 'the job policy denies ZX_POL_NEW_VMO (checked first)'],
      ['ZX_ERR_INVALID_ARGS', 'RESIZABLE together with UNBOUNDED'],
      ['ZX_ERR_OUT_OF_RANGE', 'size rounds up past 2^64'],
      ['ZX_ERR_INVALID_ARGS', 'unknown option bits (after the size check)'],
      ['ZX_ERR_OUT_OF_RANGE', 'the rounded size is past the largest VMO'],
      ['ZX_ERR_NO_MEMORY', "the kernel's handle arena is full (the VMO is freed)"],
      ['ZX_ERR_INVALID_ARGS', 'out cannot be written (the VMO is destroyed)'],
    ],
    test: `${DIR}/vmo-create.test.ts`,
  },
  zx_vmo_read: {
    summary: 'Copies buffer_size bytes at offset of the VMO into buffer; reading never commits.',
    params: [
      handle('handle', ZX_OBJ_TYPE_VMO, ZX_RIGHT_READ),
      bufferOut('buffer', 'buffer_size'),
      // Numbers stay numbers on the fast path; vmo.ts decodes them itself.
      u64Raw('offset'),
      u64Raw('buffer_size'),
    ],
    rights: 'handle: ZX_RIGHT_READ (zero-length reads too)',
    errors: [
      ...LOOKUP,
      ['ZX_ERR_ACCESS_DENIED', 'handle lacks ZX_RIGHT_READ'],
      ['ZX_ERR_NOT_SUPPORTED', 'a physical VMO (device memory is reached through mappings)'],
      ['ZX_ERR_OUT_OF_RANGE', 'offset + buffer_size overflows 64 bits'],
      ['ZX_ERR_BAD_STATE', 'the VMO is not cached (even for zero bytes)'],
      ['ZX_ERR_OUT_OF_RANGE', 'the range passes the end of the VMO'],
      pagerWait('reading the range'),
      [
        'ZX_ERR_NOT_FOUND',
        'a discarded VMO; buffer NULL, unmapped, or a host array shorter than buffer_size',
      ],
    ],
    test: `${DIR}/vmo-read-write.test.ts`,
  },
  zx_vmo_write: {
    summary: 'Copies buffer_size bytes of buffer to offset of the VMO, committing pages.',
    params: [
      handle('handle', ZX_OBJ_TYPE_VMO, ZX_RIGHT_WRITE),
      bufferIn('buffer', 'buffer_size'),
      u64Raw('offset'),
      u64Raw('buffer_size'),
    ],
    rights: 'handle: ZX_RIGHT_WRITE (zero-length writes too)',
    errors: [
      ...LOOKUP,
      ['ZX_ERR_ACCESS_DENIED', 'handle lacks ZX_RIGHT_WRITE'],
      ['ZX_ERR_NOT_SUPPORTED', 'a physical VMO (device memory is reached through mappings)'],
      ['ZX_ERR_OUT_OF_RANGE', 'offset + buffer_size overflows 64 bits'],
      ['ZX_ERR_BAD_STATE', 'the VMO is not cached (even for zero bytes)'],
      ['ZX_ERR_OUT_OF_RANGE', 'the range passes the end of the VMO'],
      pagerWait('writing the range'),
      [
        'ZX_ERR_NOT_FOUND',
        'a discarded VMO; buffer NULL, unmapped, or a host array shorter than buffer_size',
      ],
      ['ZX_ERR_NO_MEMORY', 'no frames for the pages written (nothing is written then)'],
    ],
    test: `${DIR}/vmo-read-write.test.ts`,
  },
  zx_vmo_get_size: {
    summary: 'The size of the VMO in bytes: whole pages (the largest VMO for UNBOUNDED).',
    params: [handle('handle', ZX_OBJ_TYPE_VMO, ZX_RIGHT_NONE), outU64('size')],
    rights: 'none',
    errors: [...LOOKUP, ['ZX_ERR_INVALID_ARGS', 'size cannot be written']],
    test: `${DIR}/vmo-size.test.ts`,
  },
  zx_vmo_set_size: {
    summary:
      'Resizes a resizable VMO to size rounded up to pages, zeroes the rest of the last page, and sets the content size to size.',
    params: [handle('handle', ZX_OBJ_TYPE_VMO, ZX_RIGHT_WRITE), u64('size')],
    rights: 'handle: ZX_RIGHT_WRITE, and ZX_RIGHT_RESIZE when the VMO is resizable',
    errors: [
      ...LOOKUP,
      ['ZX_ERR_ACCESS_DENIED', 'handle lacks ZX_RIGHT_WRITE; a resizable VMO, and no RESIZE'],
      ['ZX_ERR_UNAVAILABLE', 'a physical or contiguous VMO'],
      ['ZX_ERR_OUT_OF_RANGE', 'size rounds up past 2^64'],
      ['ZX_ERR_UNAVAILABLE', 'the VMO is not resizable (UNBOUNDED, slices, plain VMOs)'],
      ['ZX_ERR_OUT_OF_RANGE', 'the rounded size is past the largest VMO'],
      ['ZX_ERR_BAD_STATE', 'shrinking would cut pinned pages'],
      ['ZX_ERR_INVALID_ARGS', "a child would end past 2^64 bytes of its tree's root"],
    ],
    test: `${DIR}/vmo-size.test.ts`,
  },
  zx_vmo_get_stream_size: {
    summary: 'The stream (content) size in bytes; 0 for physical and contiguous VMOs.',
    params: [handle('handle', ZX_OBJ_TYPE_VMO, ZX_RIGHT_NONE), outU64('size')],
    rights: 'none',
    errors: [...LOOKUP, ['ZX_ERR_INVALID_ARGS', 'size cannot be written']],
    test: `${DIR}/vmo-size.test.ts`,
  },
  zx_vmo_set_stream_size: {
    summary:
      'Sets the stream size without resizing, zeroing from the lower of the old and new stream sizes to the end.',
    params: [handle('handle', ZX_OBJ_TYPE_VMO, ZX_RIGHT_WRITE), u64('size')],
    rights: 'handle: ZX_RIGHT_WRITE',
    errors: [
      ...LOOKUP,
      ['ZX_ERR_ACCESS_DENIED', 'handle lacks ZX_RIGHT_WRITE'],
      ['ZX_ERR_NOT_SUPPORTED', 'a physical or contiguous VMO (no stream)'],
      ['ZX_ERR_OUT_OF_RANGE', 'size is past the size of the VMO'],
      ['ZX_ERR_BAD_STATE', 'zeroing a partial page that holds data of an uncached VMO'],
      ['ZX_ERR_NOT_FOUND', 'zeroing a partial page of a discarded VMO'],
      pagerWait('zeroing the partial page at the lower of the two stream sizes'),
      ['ZX_ERR_NO_MEMORY', 'no frame to fork a partial page a snapshot shares'],
    ],
    test: `${DIR}/vmo-size.test.ts`,
  },
  zx_vmo_op_range: {
    summary:
      'Commits, decommits, zeroes, locks, unlocks, prefetches or cleans a range of the VMO (ZX_VMO_OP_*).',
    params: [
      handle('handle', ZX_OBJ_TYPE_VMO, ZX_RIGHT_NONE),
      u32('op', 'vmo_op'),
      u64('offset'),
      u64('size'),
      bufferOut('buffer', 'buffer_size'),
      u64('buffer_size'),
    ],
    rights:
      'per op: WRITE (COMMIT, DECOMMIT, ZERO), READ (cache ops, PREFETCH), READ or WRITE (locks), none (DONT_NEED, ALWAYS_NEED)',
    errors: [
      ...LOOKUP,
      ['ZX_ERR_NOT_SUPPORTED', 'CACHE_INVALIDATE (a production kernel), before the rights'],
      ['ZX_ERR_ACCESS_DENIED', 'the handle lacks the rights of the op'],
      [
        'ZX_ERR_NOT_SUPPORTED',
        'COMMIT, ZERO, cache and lock ops of a physical VMO; lock ops of a VMO that is not discardable; DECOMMIT of a contiguous VMO (before the range)',
      ],
      [
        'ZX_ERR_OUT_OF_RANGE',
        'the range overflows or passes the end (a zero-length ZERO never does); lock ops on anything but the whole VMO',
      ],
      [
        'ZX_ERR_NOT_SUPPORTED',
        'DECOMMIT of a snapshot child or of a VMO with snapshot children (after the range)',
      ],
      [
        'ZX_ERR_INVALID_ARGS',
        'unknown op (after the handle); cache op of size 0; misaligned DECOMMIT; LOCK with buffer_size below zx_vmo_lock_state_t, or a buffer that cannot be written (the lock is undone)',
      ],
      [
        'ZX_ERR_BAD_STATE',
        'UNLOCK of a VMO not locked; ZERO of partial pages with data of an uncached VMO; DECOMMIT over pinned pages',
      ],
      ['ZX_ERR_UNAVAILABLE', 'TRY_LOCK of a discarded VMO'],
      ['ZX_ERR_NOT_FOUND', 'COMMIT, or ZERO of partial pages, of a discarded VMO'],
      pagerWait('COMMIT, PREFETCH, ALWAYS_NEED or ZERO of partial pages'),
      ['ZX_ERR_NO_MEMORY', 'COMMIT (or ZERO of a partial page a snapshot shares) without frames'],
    ],
    test: `${DIR}/vmo-op-range.test.ts`,
  },
  zx_vmo_set_cache_policy: {
    summary: 'Sets the cache policy mappings of the VMO will use (ZX_CACHE_POLICY_*).',
    params: [handle('handle', ZX_OBJ_TYPE_VMO, ZX_RIGHT_MAP), u32('cache_policy', 'cache_policy')],
    rights: 'handle: ZX_RIGHT_MAP',
    errors: [
      ['ZX_ERR_INVALID_ARGS', 'bits outside ZX_CACHE_POLICY_MASK (before the handle)'],
      ...LOOKUP,
      ['ZX_ERR_ACCESS_DENIED', 'handle lacks ZX_RIGHT_MAP'],
      [
        'ZX_ERR_BAD_STATE',
        'pages committed while not cached; pinned pages; mapped; has children; is a child, a reference or a slice; a discardable VMO made uncached',
      ],
    ],
    test: `${DIR}/vmo-cache-exec.test.ts`,
  },
  zx_vmo_replace_as_executable: {
    summary: 'Replaces a VMO handle by one with the same rights plus ZX_RIGHT_EXECUTE.',
    params: [
      consumedHandle('handle', ZX_OBJ_TYPE_VMO, ZX_RIGHT_NONE),
      handle('vmex', ZX_OBJ_TYPE_RESOURCE, ZX_RIGHT_NONE),
      outHandle('out'),
    ],
    rights:
      'handle: none, consumed whenever it is valid, even when the call fails; vmex: a ZX_RSRC_KIND_SYSTEM resource covering ZX_RSRC_SYSTEM_VMEX_BASE (no right needed), or ZX_HANDLE_INVALID when the job policy allows ZX_POL_AMBIENT_MARK_VMO_EXEC',
    errors: [
      [
        'ZX_ERR_BAD_HANDLE',
        'handle names nothing (this hides any vmex error), or is not a VMO (it is closed all the same); vmex names nothing',
      ],
      ['ZX_ERR_WRONG_TYPE', 'vmex is not a resource, or a resource of another kind'],
      ['ZX_ERR_OUT_OF_RANGE', 'vmex is a SYSTEM resource that does not cover VMEX'],
      ['ZX_ERR_ACCESS_DENIED', 'no vmex, and the job policy denies ZX_POL_AMBIENT_MARK_VMO_EXEC'],
      ['ZX_ERR_NO_MEMORY', "the kernel's handle arena is full (handle is consumed all the same)"],
      ['ZX_ERR_INVALID_ARGS', 'out cannot be written (the new handle is destroyed)'],
    ],
    test: `${DIR}/vmo-cache-exec.test.ts`,
  },
  zx_vmo_create_child: {
    summary:
      'Creates a child VMO: a snapshot (SNAPSHOT, SNAPSHOT_AT_LEAST_ON_WRITE, SNAPSHOT_MODIFIED), a SLICE or a REFERENCE.',
    params: [
      handle('handle', ZX_OBJ_TYPE_VMO, ZX_RIGHT_DUPLICATE | ZX_RIGHT_READ),
      u32('options', 'vmo_child_options'),
      u64('offset'),
      u64('size'),
      outHandle('out'),
    ],
    rights:
      "handle: ZX_RIGHT_DUPLICATE and ZX_RIGHT_READ, and ZX_RIGHT_RESIZE for REFERENCE | RESIZABLE; the child's handle has the parent handle's rights without RESIZE, plus RESIZE when RESIZABLE, GET_PROPERTY and SET_PROPERTY; then without WRITE for NO_WRITE, or, for snapshots, with WRITE and without EXECUTE",
    errors: [
      ['ZX_ERR_OUT_OF_RANGE', 'size rounds up past 2^64 (before the handle)'],
      ['ZX_ERR_INVALID_ARGS', 'NO_WRITE with RESIZABLE (before the handle)'],
      ...LOOKUP,
      [
        'ZX_ERR_ACCESS_DENIED',
        'handle lacks DUPLICATE or READ, or RESIZE for a resizable reference',
      ],
      ['ZX_ERR_NOT_SUPPORTED', 'a discardable parent, whatever the options'],
      [
        'ZX_ERR_INVALID_ARGS',
        'no child type, two types, unknown bits, SLICE with RESIZABLE; unaligned offset; a slice not inside the parent; a reference with an offset or size; a snapshot of a contiguous VMO; a snapshot range passing 2^64 once projected onto the root',
      ],
      [
        'ZX_ERR_OUT_OF_RANGE',
        "size past the largest VMO; offset + size past 2^64, or past a slice parent's window",
      ],
      [
        'ZX_ERR_NOT_SUPPORTED',
        'a slice of a resizable VMO; a reference of a slice, contiguous or physical VMO; a snapshot of a physical VMO or of a slice (but one-way snapshots of a slice under a pager); SNAPSHOT under a pager; SNAPSHOT_MODIFIED of a slice of a modified pager child, of a pager child with one-way children, or at the end of a one-way chain',
      ],
      ['ZX_ERR_BAD_STATE', 'an uncached parent; pinned pages, for snapshots'],
      ['ZX_ERR_NO_MEMORY', "the kernel's handle arena is full (the child is undone)"],
      ['ZX_ERR_INVALID_ARGS', 'out cannot be written (the child is destroyed)'],
    ],
    test: `${DIR}/create-child.test.ts`,
  },
  zx_vmo_transfer_data: {
    summary:
      'Moves the pages of a range of src_vmo to a range of dst_vmo without copying; the source range then reads zero.',
    params: [
      handle('dst_vmo', ZX_OBJ_TYPE_VMO, ZX_RIGHT_WRITE),
      u32('options'),
      u64('offset'),
      u64('length'),
      handle('src_vmo', ZX_OBJ_TYPE_VMO, ZX_RIGHT_READ | ZX_RIGHT_WRITE),
      u64('src_offset'),
    ],
    rights: 'dst_vmo: ZX_RIGHT_WRITE; src_vmo: ZX_RIGHT_READ and ZX_RIGHT_WRITE',
    errors: [
      ['ZX_ERR_INVALID_ARGS', 'options not 0; offset, length or src_offset not page aligned'],
      ['ZX_ERR_BAD_HANDLE', 'dst_vmo, then src_vmo, names nothing in this process'],
      ['ZX_ERR_WRONG_TYPE', 'dst_vmo, then src_vmo, is not a VMO'],
      ['ZX_ERR_ACCESS_DENIED', 'dst_vmo lacks WRITE; src_vmo lacks READ or WRITE'],
      ['ZX_ERR_NOT_SUPPORTED', 'src, then dst, is contiguous or physical'],
      ['ZX_ERR_OUT_OF_RANGE', 'the range overflows or passes the end (src, then dst)'],
      ['ZX_ERR_BAD_STATE', 'pinned pages in the range (src, then dst)'],
      pagerWait('taking the source pages'),
      ['ZX_ERR_NO_MEMORY', 'pages a snapshot shares cannot be forked out of the source'],
    ],
    test: `${DIR}/transfer-data.test.ts`,
  },
});
