// The syscall table: every zx_* call zxvm provides, with its C parameters in order and the
// rights it checks. It drives the per-process syscall object, the fuzz tests (which feed every
// parameter garbage of its kind) and the WebAssembly host (which marshals by parameter kind).

/** The C type of a parameter, as it reaches the kernel. */
export type ParamKind =
  | 'handle' // zx_handle_t (number)
  | 'u32' // uint32_t, zx_rights_t, zx_signals_t, options (number)
  | 'u64' // uint64_t, zx_off_t, size_t, zx_paddr_t, zx_vaddr_t (number | bigint)
  | 'time' // zx_time_t (number | bigint, signed)
  | 'buffer_in' // const void* with a size elsewhere (Uint8Array | vaddr | null)
  | 'buffer_out' // void* with a size elsewhere
  | 'out_handle' // zx_handle_t* ({ value: number })
  | 'out_u32' // uint32_t* / zx_signals_t*
  | 'out_u64'; // uint64_t* / size_t* / zx_vaddr_t* ({ value: bigint })

export interface SyscallSpec {
  readonly name: string;
  readonly params: readonly (readonly [name: string, kind: ParamKind])[];
  /** Rights and privileges, as the reference page states them. */
  readonly rights: string;
}

export const SYSCALLS: readonly SyscallSpec[] = [
  { name: 'zx_system_get_page_size', params: [], rights: 'none' },
  {
    name: 'zx_handle_close',
    params: [['handle', 'handle']],
    rights: 'none',
  },
  {
    name: 'zx_handle_duplicate',
    params: [
      ['handle', 'handle'],
      ['rights', 'u32'],
      ['out', 'out_handle'],
    ],
    rights: 'handle: ZX_RIGHT_DUPLICATE',
  },
  {
    name: 'zx_handle_replace',
    params: [
      ['handle', 'handle'],
      ['rights', 'u32'],
      ['out', 'out_handle'],
    ],
    rights: 'none',
  },
  {
    name: 'zx_object_get_info',
    params: [
      ['handle', 'handle'],
      ['topic', 'u32'],
      ['buffer', 'buffer_out'],
      ['buffer_size', 'u64'],
      ['actual', 'out_u64'],
      ['avail', 'out_u64'],
    ],
    rights:
      'per topic: ZX_RIGHT_INSPECT for VMAR, VMAR_MAPS, PROCESS_VMOS, PROCESS_MAPS; none for HANDLE_*, VMO*; KMEM_STATS: system resource',
  },
  {
    name: 'zx_object_get_property',
    params: [
      ['handle', 'handle'],
      ['property', 'u32'],
      ['value', 'buffer_out'],
      ['value_size', 'u64'],
    ],
    rights: 'handle: ZX_RIGHT_GET_PROPERTY',
  },
  {
    name: 'zx_object_set_property',
    params: [
      ['handle', 'handle'],
      ['property', 'u32'],
      ['value', 'buffer_in'],
      ['value_size', 'u64'],
    ],
    rights: 'handle: ZX_RIGHT_SET_PROPERTY (and ZX_RIGHT_WRITE for ZX_PROP_VMO_CONTENT_SIZE)',
  },
  {
    name: 'zx_object_signal',
    params: [
      ['handle', 'handle'],
      ['clear_mask', 'u32'],
      ['set_mask', 'u32'],
    ],
    rights: 'handle: ZX_RIGHT_SIGNAL',
  },
  {
    name: 'zx_object_wait_one',
    params: [
      ['handle', 'handle'],
      ['signals', 'u32'],
      ['deadline', 'time'],
      ['observed', 'out_u32'],
    ],
    rights: 'handle: ZX_RIGHT_WAIT',
  },
  {
    name: 'zx_job_create',
    params: [
      ['parent_job', 'handle'],
      ['options', 'u32'],
      ['out', 'out_handle'],
    ],
    rights: 'parent_job: ZX_RIGHT_MANAGE_JOB',
  },
  {
    name: 'zx_job_set_policy',
    params: [
      ['handle', 'handle'],
      ['options', 'u32'],
      ['topic', 'u32'],
      ['policy', 'buffer_in'],
      ['count', 'u32'],
    ],
    rights: 'handle: ZX_RIGHT_SET_POLICY',
  },
  {
    name: 'zx_process_create',
    params: [
      ['job', 'handle'],
      ['name', 'buffer_in'],
      ['name_size', 'u64'],
      ['options', 'u32'],
      ['proc_handle', 'out_handle'],
      ['vmar_handle', 'out_handle'],
    ],
    rights: 'job: ZX_RIGHT_MANAGE_PROCESS; job policy: ZX_POL_NEW_PROCESS',
  },
  {
    name: 'zx_resource_create',
    params: [
      ['parent_rsrc', 'handle'],
      ['options', 'u32'],
      ['base', 'u64'],
      ['size', 'u64'],
      ['name', 'buffer_in'],
      ['name_size', 'u64'],
      ['resource_out', 'out_handle'],
    ],
    rights: 'parent_rsrc: ZX_RIGHT_WRITE, granting the kind and range',
  },
  {
    name: 'zx_vmo_create',
    params: [
      ['size', 'u64'],
      ['options', 'u32'],
      ['out', 'out_handle'],
    ],
    rights: 'job policy: ZX_POL_NEW_VMO',
  },
  {
    name: 'zx_vmo_read',
    params: [
      ['handle', 'handle'],
      ['buffer', 'buffer_out'],
      ['offset', 'u64'],
      ['buffer_size', 'u64'],
    ],
    rights: 'handle: ZX_RIGHT_READ',
  },
  {
    name: 'zx_vmo_write',
    params: [
      ['handle', 'handle'],
      ['buffer', 'buffer_in'],
      ['offset', 'u64'],
      ['buffer_size', 'u64'],
    ],
    rights: 'handle: ZX_RIGHT_WRITE',
  },
  {
    name: 'zx_vmo_get_size',
    params: [
      ['handle', 'handle'],
      ['size', 'out_u64'],
    ],
    rights: 'none',
  },
  {
    name: 'zx_vmo_set_size',
    params: [
      ['handle', 'handle'],
      ['size', 'u64'],
    ],
    rights: 'handle: ZX_RIGHT_WRITE, and ZX_RIGHT_RESIZE on resizable VMOs',
  },
  {
    name: 'zx_vmo_get_stream_size',
    params: [
      ['handle', 'handle'],
      ['size', 'out_u64'],
    ],
    rights: 'none',
  },
  {
    name: 'zx_vmo_set_stream_size',
    params: [
      ['handle', 'handle'],
      ['size', 'u64'],
    ],
    rights: 'handle: ZX_RIGHT_WRITE',
  },
  {
    name: 'zx_vmo_op_range',
    params: [
      ['handle', 'handle'],
      ['op', 'u32'],
      ['offset', 'u64'],
      ['size', 'u64'],
      ['buffer', 'buffer_out'],
      ['buffer_size', 'u64'],
    ],
    rights:
      'per op: WRITE (COMMIT, DECOMMIT, ZERO), READ (cache ops, PREFETCH), READ or WRITE (locks)',
  },
  {
    name: 'zx_vmo_set_cache_policy',
    params: [
      ['handle', 'handle'],
      ['cache_policy', 'u32'],
    ],
    rights: 'handle: ZX_RIGHT_MAP',
  },
  {
    name: 'zx_vmo_replace_as_executable',
    params: [
      ['handle', 'handle'],
      ['vmex', 'handle'],
      ['out', 'out_handle'],
    ],
    rights: 'vmex: SYSTEM resource covering VMEX, or ambient ZX_POL_AMBIENT_MARK_VMO_EXEC',
  },
  {
    name: 'zx_vmo_create_child',
    params: [
      ['handle', 'handle'],
      ['options', 'u32'],
      ['offset', 'u64'],
      ['size', 'u64'],
      ['out', 'out_handle'],
    ],
    rights:
      'handle: ZX_RIGHT_DUPLICATE and ZX_RIGHT_READ (and ZX_RIGHT_RESIZE for REFERENCE|RESIZABLE)',
  },
  {
    name: 'zx_vmo_transfer_data',
    params: [
      ['dst_vmo', 'handle'],
      ['options', 'u32'],
      ['offset', 'u64'],
      ['length', 'u64'],
      ['src_vmo', 'handle'],
      ['src_offset', 'u64'],
    ],
    rights: 'dst_vmo: ZX_RIGHT_WRITE; src_vmo: ZX_RIGHT_READ and ZX_RIGHT_WRITE',
  },
  {
    name: 'zx_vmo_create_contiguous',
    params: [
      ['bti', 'handle'],
      ['size', 'u64'],
      ['alignment_log2', 'u32'],
      ['out', 'out_handle'],
    ],
    rights: 'bti: ZX_RIGHT_MAP; job policy: ZX_POL_NEW_VMO',
  },
  {
    name: 'zx_vmo_create_physical',
    params: [
      ['resource', 'handle'],
      ['paddr', 'u64'],
      ['size', 'u64'],
      ['out', 'out_handle'],
    ],
    rights: 'resource: system resource or ZX_RSRC_KIND_MMIO covering the range; ZX_POL_NEW_VMO',
  },
  {
    name: 'zx_vmar_allocate',
    params: [
      ['parent_vmar', 'handle'],
      ['options', 'u32'],
      ['offset', 'u64'],
      ['size', 'u64'],
      ['child_vmar', 'out_handle'],
      ['child_addr', 'out_u64'],
    ],
    rights: 'parent_vmar: ZX_RIGHT_READ/WRITE/EXECUTE for CAN_MAP_READ/WRITE/EXECUTE',
  },
  {
    name: 'zx_vmar_map',
    params: [
      ['handle', 'handle'],
      ['options', 'u32'],
      ['vmar_offset', 'u64'],
      ['vmo', 'handle'],
      ['vmo_offset', 'u64'],
      ['len', 'u64'],
      ['mapped_addr', 'out_u64'],
    ],
    rights: 'vmo: ZX_RIGHT_MAP; both: ZX_RIGHT_READ/WRITE/EXECUTE for PERM_READ/WRITE/EXECUTE',
  },
  {
    name: 'zx_vmar_unmap',
    params: [
      ['handle', 'handle'],
      ['addr', 'u64'],
      ['len', 'u64'],
    ],
    rights: 'none (ZX_RIGHT_OP_CHILDREN to unmap sub-VMARs)',
  },
  {
    name: 'zx_vmar_protect',
    params: [
      ['handle', 'handle'],
      ['options', 'u32'],
      ['addr', 'u64'],
      ['len', 'u64'],
    ],
    rights: 'handle: ZX_RIGHT_READ/WRITE/EXECUTE for PERM_READ/WRITE/EXECUTE',
  },
  {
    name: 'zx_vmar_destroy',
    params: [['handle', 'handle']],
    rights: 'handle: ZX_RIGHT_OP_CHILDREN',
  },
  {
    name: 'zx_vmar_op_range',
    params: [
      ['handle', 'handle'],
      ['op', 'u32'],
      ['address', 'u64'],
      ['size', 'u64'],
      ['buffer', 'buffer_out'],
      ['buffer_size', 'u64'],
    ],
    rights: "none (ZX_RIGHT_OP_CHILDREN for sub-VMARs' mappings)",
  },
  {
    name: 'zx_iommu_create',
    params: [
      ['resource', 'handle'],
      ['type', 'u32'],
      ['desc', 'buffer_in'],
      ['desc_size', 'u64'],
      ['out', 'out_handle'],
    ],
    rights: 'resource: system resource, or ZX_RSRC_KIND_SYSTEM covering ZX_RSRC_SYSTEM_IOMMU_BASE',
  },
  {
    name: 'zx_bti_create',
    params: [
      ['iommu', 'handle'],
      ['options', 'u32'],
      ['bti_id', 'u64'],
      ['out', 'out_handle'],
    ],
    rights: 'none',
  },
  {
    name: 'zx_bti_pin',
    params: [
      ['handle', 'handle'],
      ['options', 'u32'],
      ['vmo', 'handle'],
      ['offset', 'u64'],
      ['size', 'u64'],
      ['addrs', 'buffer_out'],
      ['num_addrs', 'u64'],
      ['pmt', 'out_handle'],
    ],
    rights: 'handle: ZX_RIGHT_MAP; vmo: ZX_RIGHT_MAP, and READ/WRITE per ZX_BTI_PERM_*',
  },
  {
    name: 'zx_bti_release_quarantine',
    params: [['handle', 'handle']],
    rights: 'handle: ZX_RIGHT_WRITE',
  },
  {
    name: 'zx_pmt_unpin',
    params: [['handle', 'handle']],
    rights: 'none',
  },
];
