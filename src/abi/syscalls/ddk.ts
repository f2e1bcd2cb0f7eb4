// The ddk syscalls. TODO(table): object types, rights and errors still to fill from the implementations.

import { ZX_RIGHT_NONE } from '../constants.ts';
import {
  ANY_OBJECT,
  bufferIn,
  bufferOut,
  family,
  handle,
  outHandle,
  u32,
  u64,
} from '../syscall-spec.ts';

export const DDK_SYSCALLS = family({
  zx_vmo_create_contiguous: {
    summary: '',
    params: [
      handle('bti', ANY_OBJECT, ZX_RIGHT_NONE),
      u64('size'),
      u32('alignment_log2'),
      outHandle('out'),
    ],
    rights: 'bti: ZX_RIGHT_MAP; job policy: ZX_POL_NEW_VMO',
    errors: [],
    test: '',
  },
  zx_vmo_create_physical: {
    summary: '',
    params: [
      handle('resource', ANY_OBJECT, ZX_RIGHT_NONE),
      u64('paddr'),
      u64('size'),
      outHandle('out'),
    ],
    rights: 'resource: system resource or ZX_RSRC_KIND_MMIO covering the range; ZX_POL_NEW_VMO',
    errors: [],
    test: '',
  },
  zx_iommu_create: {
    summary: '',
    params: [
      handle('resource', ANY_OBJECT, ZX_RIGHT_NONE),
      u32('type'),
      bufferIn('desc', 'desc_size'),
      u64('desc_size'),
      outHandle('out'),
    ],
    rights: 'resource: system resource, or ZX_RSRC_KIND_SYSTEM covering ZX_RSRC_SYSTEM_IOMMU_BASE',
    errors: [],
    test: '',
  },
  zx_bti_create: {
    summary: '',
    params: [
      handle('iommu', ANY_OBJECT, ZX_RIGHT_NONE),
      u32('options'),
      u64('bti_id'),
      outHandle('out'),
    ],
    rights: 'none',
    errors: [],
    test: '',
  },
  zx_bti_pin: {
    summary: '',
    params: [
      handle('handle', ANY_OBJECT, ZX_RIGHT_NONE),
      u32('options'),
      handle('vmo', ANY_OBJECT, ZX_RIGHT_NONE),
      u64('offset'),
      u64('size'),
      bufferOut('addrs', 'num_addrs'),
      u64('num_addrs'),
      outHandle('pmt'),
    ],
    rights: 'handle: ZX_RIGHT_MAP; vmo: ZX_RIGHT_MAP, and READ/WRITE per ZX_BTI_PERM_*',
    errors: [],
    test: '',
  },
  zx_bti_release_quarantine: {
    summary: '',
    params: [handle('handle', ANY_OBJECT, ZX_RIGHT_NONE)],
    rights: 'handle: ZX_RIGHT_WRITE',
    errors: [],
    test: '',
  },
  zx_pmt_unpin: {
    summary: '',
    params: [handle('handle', ANY_OBJECT, ZX_RIGHT_NONE)],
    rights: 'none',
    errors: [],
    test: '',
  },
});
