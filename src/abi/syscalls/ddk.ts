// The driver syscalls (zircon/syscalls.h, ddk group): physical and contiguous VMOs, the stub
// IOMMU, BTIs, pinning for DMA and unpinning. The order of the errors is Zircon's
// (docs/zircon-notes/vmar.md §7 and §8).

import {
  ZX_OBJ_TYPE_BTI,
  ZX_OBJ_TYPE_IOMMU,
  ZX_OBJ_TYPE_PMT,
  ZX_OBJ_TYPE_RESOURCE,
  ZX_OBJ_TYPE_VMO,
  ZX_RIGHT_MAP,
  ZX_RIGHT_NONE,
  ZX_RIGHT_WRITE,
} from '../constants.ts';
import { defineStruct } from '../structs-layout.ts';
import {
  bufferIn,
  bufferOut,
  consumedHandle,
  family,
  handle,
  outHandle,
  pagerWait,
  u32,
  u64,
} from '../syscall-spec.ts';

/** zx_bti_pin's addrs holds num_addrs of these. */
const ZX_PADDR = defineStruct('zx_paddr_t', [['paddr', 'u64']]);

const PHYSICAL_TEST = 'test/syscalls/ddk/physical.test.ts';
const IOMMU_BTI_TEST = 'test/syscalls/ddk/iommu-bti.test.ts';
const PIN_TEST = 'test/syscalls/ddk/pin.test.ts';

export const DDK_SYSCALLS = family({
  zx_vmo_create_contiguous: {
    summary: 'Makes a VMO of physically contiguous RAM, committed at once, for DMA.',
    params: [
      handle('bti', ZX_OBJ_TYPE_BTI, ZX_RIGHT_MAP),
      u64('size'),
      u32('alignment_log2'),
      outHandle('out'),
    ],
    rights:
      'bti: ZX_RIGHT_MAP; the job policy must allow ZX_POL_NEW_VMO; the new handle has ZX_DEFAULT_VMO_RIGHTS',
    errors: [
      ['ZX_ERR_INVALID_ARGS', 'size is 0; alignment_log2 is not 0 and below 12 or above 63'],
      ['ZX_ERR_ACCESS_DENIED', 'the job policy refuses ZX_POL_NEW_VMO'],
      ['ZX_ERR_BAD_HANDLE', 'bti names nothing in this process'],
      ['ZX_ERR_WRONG_TYPE', 'bti is not a BTI'],
      ['ZX_ERR_ACCESS_DENIED', 'bti lacks ZX_RIGHT_MAP'],
      ['ZX_ERR_OUT_OF_RANGE', 'size rounds up past 2^64'],
      [
        'ZX_ERR_NO_MEMORY',
        "no run of free frames that large with that alignment; the kernel's handle arena is full",
      ],
      ['ZX_ERR_INVALID_ARGS', 'out cannot be written (the VMO is destroyed, its pages freed)'],
    ],
    test: 'test/syscalls/ddk/contiguous.test.ts',
  },
  zx_vmo_create_physical: {
    summary: 'Makes a VMO over device memory (MMIO), uncached, holding no RAM.',
    params: [
      handle('resource', ZX_OBJ_TYPE_RESOURCE, ZX_RIGHT_NONE),
      u64('paddr'),
      u64('size'),
      outHandle('out'),
    ],
    rights:
      'resource: the system resource, or a ZX_RSRC_KIND_MMIO resource covering the range (no handle right); the job policy must allow ZX_POL_NEW_VMO; the new handle has ZX_DEFAULT_VMO_RIGHTS',
    errors: [
      ['ZX_ERR_ACCESS_DENIED', 'the job policy refuses ZX_POL_NEW_VMO'],
      ['ZX_ERR_BAD_HANDLE', 'resource names nothing in this process'],
      ['ZX_ERR_WRONG_TYPE', 'resource is not a resource'],
      [
        'ZX_ERR_ACCESS_DENIED',
        "through the system resource: a range touching RAM or outside zxvm's MMIO region",
      ],
      ['ZX_ERR_WRONG_TYPE', 'a resource of another kind than ZX_RSRC_KIND_MMIO'],
      ['ZX_ERR_OUT_OF_RANGE', 'an MMIO resource that does not cover the range, or size 0'],
      [
        'ZX_ERR_ACCESS_DENIED',
        "through an MMIO resource: a range touching RAM or outside zxvm's MMIO region",
      ],
      ['ZX_ERR_OUT_OF_RANGE', 'size rounds up past 2^64'],
      ['ZX_ERR_INVALID_ARGS', 'paddr not page aligned; size 0; the range wraps past 2^64'],
      ['ZX_ERR_NO_MEMORY', "the kernel's handle arena is full"],
      ['ZX_ERR_INVALID_ARGS', 'out cannot be written (the VMO is destroyed)'],
    ],
    test: PHYSICAL_TEST,
  },
  zx_iommu_create: {
    summary: "Makes an IOMMU; zxvm has Zircon's stub, whose device addresses are physical.",
    params: [
      handle('resource', ZX_OBJ_TYPE_RESOURCE, ZX_RIGHT_NONE),
      u32('type'),
      bufferIn('desc', 'desc_size'),
      u64('desc_size'),
      outHandle('out'),
    ],
    rights:
      'resource: the system resource, or a ZX_RSRC_KIND_SYSTEM resource covering ZX_RSRC_SYSTEM_IOMMU_BASE (no handle right); the new handle has ZX_DEFAULT_IOMMU_RIGHTS',
    errors: [
      ['ZX_ERR_BAD_HANDLE', 'resource names nothing in this process'],
      ['ZX_ERR_WRONG_TYPE', 'resource is not a resource, or not of ZX_RSRC_KIND_SYSTEM'],
      ['ZX_ERR_OUT_OF_RANGE', 'a SYSTEM resource that does not cover ZX_RSRC_SYSTEM_IOMMU_BASE'],
      ['ZX_ERR_INVALID_ARGS', 'desc_size above ZX_IOMMU_MAX_DESC_LEN; desc cannot be read'],
      ['ZX_ERR_NOT_FOUND', 'desc is host memory shorter than desc_size'],
      ['ZX_ERR_NOT_SUPPORTED', 'a type other than ZX_IOMMU_TYPE_STUB'],
      ['ZX_ERR_INVALID_ARGS', 'a stub IOMMU without a zx_iommu_desc_stub_t-sized desc'],
      ['ZX_ERR_NO_MEMORY', "the kernel's handle arena is full"],
      ['ZX_ERR_INVALID_ARGS', 'out cannot be written (the IOMMU is destroyed)'],
    ],
    test: IOMMU_BTI_TEST,
  },
  zx_bti_create: {
    summary: 'Makes a BTI: the identity of a device behind an IOMMU, for pinning.',
    params: [
      handle('iommu', ZX_OBJ_TYPE_IOMMU, ZX_RIGHT_NONE),
      u32('options'),
      u64('bti_id'),
      outHandle('out'),
    ],
    rights: 'iommu: none; the new handle has ZX_DEFAULT_BTI_RIGHTS',
    errors: [
      ['ZX_ERR_INVALID_ARGS', 'options is not 0 (checked first)'],
      ['ZX_ERR_BAD_HANDLE', 'iommu names nothing in this process'],
      ['ZX_ERR_WRONG_TYPE', 'iommu is not an IOMMU'],
      ['ZX_ERR_INVALID_ARGS', 'a bus transaction id the IOMMU refuses (the stub refuses none)'],
      ['ZX_ERR_NO_MEMORY', "the kernel's handle arena is full"],
      ['ZX_ERR_INVALID_ARGS', 'out cannot be written (the BTI is destroyed)'],
    ],
    test: IOMMU_BTI_TEST,
  },
  zx_bti_pin: {
    summary: "Pins a VMO range for a device's DMA and returns its device addresses and a PMT.",
    params: [
      handle('handle', ZX_OBJ_TYPE_BTI, ZX_RIGHT_MAP),
      u32('options', 'bti_perm'),
      handle('vmo', ZX_OBJ_TYPE_VMO, ZX_RIGHT_NONE),
      u64('offset'),
      u64('size'),
      bufferOut('addrs', 'num_addrs', ZX_PADDR),
      u64('num_addrs'),
      outHandle('pmt'),
    ],
    rights:
      'handle: ZX_RIGHT_MAP; vmo: ZX_RIGHT_MAP, and ZX_RIGHT_READ for ZX_BTI_PERM_READ or ZX_BTI_PERM_EXECUTE, ZX_RIGHT_WRITE for ZX_BTI_PERM_WRITE; the PMT handle has ZX_DEFAULT_PMT_RIGHTS',
    errors: [
      ['ZX_ERR_BAD_HANDLE', 'handle names nothing in this process'],
      ['ZX_ERR_WRONG_TYPE', 'handle is not a BTI'],
      ['ZX_ERR_ACCESS_DENIED', 'handle lacks ZX_RIGHT_MAP'],
      ['ZX_ERR_INVALID_ARGS', 'offset or size not page aligned; num_addrs above 32768'],
      ['ZX_ERR_BAD_HANDLE', 'vmo names nothing in this process'],
      ['ZX_ERR_WRONG_TYPE', 'vmo is not a VMO'],
      ['ZX_ERR_ACCESS_DENIED', 'vmo lacks ZX_RIGHT_MAP, or the right a ZX_BTI_PERM_* needs'],
      [
        'ZX_ERR_INVALID_ARGS',
        'unknown options; COMPRESS with CONTIGUOUS; CONTIGUOUS on a VMO that is not contiguous; size 0',
      ],
      ['ZX_ERR_OUT_OF_RANGE', "the range goes past the VMO's end"],
      pagerWait('committing (and, for ZX_BTI_PERM_WRITE, dirtying) the range'),
      ['ZX_ERR_NO_MEMORY', 'committing the range runs out of memory'],
      ['ZX_ERR_NOT_FOUND', 'the VMO was discarded'],
      [
        'ZX_ERR_BAD_STATE',
        "the BTI's handles are all closed, or it holds quarantined PMTs (nothing stays pinned)",
      ],
      [
        'ZX_ERR_INVALID_ARGS',
        'no ZX_BTI_PERM_*; num_addrs not the count the options ask for; addrs cannot be written (nothing stays pinned)',
      ],
      ['ZX_ERR_NOT_FOUND', 'addrs is host memory shorter than num_addrs addresses'],
      ['ZX_ERR_NO_MEMORY', "the kernel's handle arena is full (the PMT is unpinned)"],
      [
        'ZX_ERR_INVALID_ARGS',
        'pmt cannot be written: its handle is destroyed, and the PMT, never unpinned, goes to the quarantine as in Zircon',
      ],
    ],
    test: PIN_TEST,
  },
  zx_bti_release_quarantine: {
    summary: 'Unpins the PMTs whose handles were closed without zx_pmt_unpin.',
    params: [handle('handle', ZX_OBJ_TYPE_BTI, ZX_RIGHT_WRITE)],
    rights: 'handle: ZX_RIGHT_WRITE',
    errors: [
      ['ZX_ERR_BAD_HANDLE', 'handle names nothing in this process'],
      ['ZX_ERR_WRONG_TYPE', 'handle is not a BTI'],
      ['ZX_ERR_ACCESS_DENIED', 'handle lacks ZX_RIGHT_WRITE'],
    ],
    test: PIN_TEST,
  },
  zx_pmt_unpin: {
    summary: 'Unpins the pages of a PMT and closes its handle.',
    params: [consumedHandle('handle', ZX_OBJ_TYPE_PMT, ZX_RIGHT_NONE)],
    rights: 'none; the handle is consumed whenever it is valid, even when it is not a PMT',
    errors: [
      ['ZX_ERR_BAD_HANDLE', 'handle names nothing in this process'],
      ['ZX_ERR_WRONG_TYPE', 'handle is not a PMT (it is closed all the same)'],
    ],
    test: PIN_TEST,
  },
});
