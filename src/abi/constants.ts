// Zircon ABI constants, named exactly as in the public C headers and carrying the same values.
// This module holds rights.h, types.h, time.h and limits.h; the status codes and the syscalls/*.h
// groups live in the two sibling modules re-exported below, so importing this one is enough.
//
// Conventions used in all three modules:
// - Values whose C type is 32 bits wide (or a small size_t limit) are plain numbers. Unsigned
//   32-bit values are always non-negative, so bit 31 is written as 0x80000000, never 1 << 31.
// - Values whose C type is 64 bits wide (uint64_t, int64_t, zx_time_t, zx_koid_t,
//   zx_rsrc_system_base_t) are bigints.
// - Bit flags are written in hex, enumerations in decimal; composite values (such as default
//   rights) are already folded into a single literal.
// - Names that begin with a double underscore are the header's implementation-detail names and
//   are kept verbatim.

export * from './constants-ipc.ts';
export * from './constants-status.ts';
export * from './constants-syscalls.ts';

// rights.h: individual rights bits (zx_rights_t)
export const ZX_RIGHT_NONE = 0x0;
export const ZX_RIGHT_DUPLICATE = 0x1;
export const ZX_RIGHT_TRANSFER = 0x2;
export const ZX_RIGHT_READ = 0x4;
export const ZX_RIGHT_WRITE = 0x8;
export const ZX_RIGHT_EXECUTE = 0x10;
export const ZX_RIGHT_MAP = 0x20;
export const ZX_RIGHT_GET_PROPERTY = 0x40;
export const ZX_RIGHT_SET_PROPERTY = 0x80;
export const ZX_RIGHT_ENUMERATE = 0x100;
export const ZX_RIGHT_DESTROY = 0x200;
export const ZX_RIGHT_SET_POLICY = 0x400;
export const ZX_RIGHT_GET_POLICY = 0x800;
export const ZX_RIGHT_SIGNAL = 0x1000;
export const ZX_RIGHT_SIGNAL_PEER = 0x2000;
export const ZX_RIGHT_WAIT = 0x4000;
export const ZX_RIGHT_INSPECT = 0x8000;
export const ZX_RIGHT_MANAGE_JOB = 0x10000;
export const ZX_RIGHT_MANAGE_PROCESS = 0x20000;
export const ZX_RIGHT_MANAGE_THREAD = 0x40000;
export const ZX_RIGHT_APPLY_PROFILE = 0x80000;
export const ZX_RIGHT_MANAGE_SOCKET = 0x100000;
export const ZX_RIGHT_OP_CHILDREN = 0x200000;
export const ZX_RIGHT_RESIZE = 0x400000;
export const ZX_RIGHT_ATTACH_VMO = 0x800000;
export const ZX_RIGHT_MANAGE_VMO = 0x1000000;
export const ZX_RIGHT_SAME_RIGHTS = 0x80000000;

// rights.h: named groups of rights
export const ZX_RIGHTS_BASIC = 0xc003;
export const ZX_RIGHTS_IO = 0xc;
export const ZX_RIGHTS_PROPERTY = 0xc0;
export const ZX_RIGHTS_POLICY = 0xc00;

// rights.h: rights carried by a freshly created handle of each object type
export const ZX_DEFAULT_CHANNEL_RIGHTS = 0xf00e;
export const ZX_DEFAULT_EVENT_RIGHTS = 0xd003;
export const ZX_DEFAULT_SYSTEM_EVENT_LOW_MEMORY_RIGHTS = 0x4003;
export const ZX_DEFAULT_SYSTEM_MEMORY_STALL_EVENT_RIGHTS = 0x4003;
export const ZX_DEFAULT_EVENTPAIR_RIGHTS = 0xf003;
export const ZX_DEFAULT_FIFO_RIGHTS = 0xf00f;
export const ZX_DEFAULT_GUEST_RIGHTS = 0x4800b;
export const ZX_DEFAULT_INTERRUPT_RIGHTS = 0xd00f;
export const ZX_DEFAULT_JOB_RIGHTS = 0x7dfcf;
export const ZX_DEFAULT_LOG_RIGHTS = 0xd00b;
export const ZX_DEFAULT_MSI_RIGHTS = 0xc003;
export const ZX_DEFAULT_PCI_DEVICE_RIGHTS = 0xc00f;
export const ZX_DEFAULT_PCI_INTERRUPT_RIGHTS = 0xd00f;
export const ZX_DEFAULT_PORT_RIGHTS = 0x800f;
export const ZX_DEFAULT_PROCESS_RIGHTS = 0x6d3cf;
export const ZX_DEFAULT_RESOURCE_RIGHTS = 0x800b;
export const ZX_DEFAULT_SOCKET_RIGHTS = 0x10f0cf;
export const ZX_DEFAULT_STREAM_RIGHTS = 0xd0c3;
export const ZX_DEFAULT_THREAD_RIGHTS = 0x4d2cf;
export const ZX_DEFAULT_TIMER_RIGHTS = 0xd00b;
export const ZX_DEFAULT_VCPU_RIGHTS = 0xd01f;
export const ZX_DEFAULT_VMAR_RIGHTS = 0x208003;
export const ZX_DEFAULT_VMO_RIGHTS = 0xd0ef;
export const ZX_DEFAULT_IOMMU_RIGHTS = 0x8003;
export const ZX_DEFAULT_BTI_RIGHTS = 0x80ef;
export const ZX_DEFAULT_PROFILE_RIGHTS = 0x88003;
export const ZX_DEFAULT_PMT_RIGHTS = 0x8000;
export const ZX_DEFAULT_SUSPEND_TOKEN_RIGHTS = 0x8002;
export const ZX_DEFAULT_PAGER_RIGHTS = 0x1808002;
export const ZX_DEFAULT_EXCEPTION_RIGHTS = 0x80c2;
export const ZX_DEFAULT_CLOCK_RIGHTS = 0xd0cf;
export const ZX_DEFAULT_IOB_RIGHTS = 0xf0ef;
export const ZX_DEFAULT_COUNTER_RIGHTS = 0xd00f;
export const ZX_DEFAULT_IOB_SHARED_REGION_RIGHTS = 0xd0c3;

// types.h: handle values
export const ZX_HANDLE_INVALID = 0;
export const ZX_HANDLE_FIXED_BITS_MASK = 0x3;

// types.h: clock ids
export const ZX_CLOCK_MONOTONIC = 0;
export const ZX_CLOCK_BOOT = 1;

// types.h: generic signal bits (zx_signals_t); the __ZX_OBJECT_* names are the header's own
export const ZX_SIGNAL_NONE = 0x0;
export const ZX_USER_SIGNAL_ALL = 0xff000000;
export const __ZX_OBJECT_SIGNAL_ALL = 0x00ffffff;
export const __ZX_OBJECT_READABLE = 0x1;
export const __ZX_OBJECT_WRITABLE = 0x2;
export const __ZX_OBJECT_PEER_CLOSED = 0x4;
export const __ZX_OBJECT_SIGNALED = 0x8;
export const __ZX_OBJECT_SIGNAL_4 = 0x10;
export const __ZX_OBJECT_SIGNAL_5 = 0x20;
export const __ZX_OBJECT_SIGNAL_6 = 0x40;
export const __ZX_OBJECT_SIGNAL_7 = 0x80;
export const __ZX_OBJECT_SIGNAL_8 = 0x100;
export const __ZX_OBJECT_SIGNAL_9 = 0x200;
export const __ZX_OBJECT_SIGNAL_10 = 0x400;
export const __ZX_OBJECT_SIGNAL_11 = 0x800;
export const __ZX_OBJECT_SIGNAL_12 = 0x1000;
export const __ZX_OBJECT_SIGNAL_13 = 0x2000;
export const __ZX_OBJECT_SIGNAL_14 = 0x4000;
export const __ZX_OBJECT_SIGNAL_15 = 0x8000;
export const __ZX_OBJECT_SIGNAL_16 = 0x10000;
export const __ZX_OBJECT_SIGNAL_17 = 0x20000;
export const __ZX_OBJECT_SIGNAL_18 = 0x40000;
export const __ZX_OBJECT_SIGNAL_19 = 0x80000;
export const __ZX_OBJECT_SIGNAL_20 = 0x100000;
export const __ZX_OBJECT_SIGNAL_21 = 0x200000;
export const __ZX_OBJECT_SIGNAL_22 = 0x400000;
export const __ZX_OBJECT_HANDLE_CLOSED = 0x800000;

// types.h: user signals, settable through zx_object_signal() and zx_object_signal_peer()
export const ZX_USER_SIGNAL_0 = 0x01000000;
export const ZX_USER_SIGNAL_1 = 0x02000000;
export const ZX_USER_SIGNAL_2 = 0x04000000;
export const ZX_USER_SIGNAL_3 = 0x08000000;
export const ZX_USER_SIGNAL_4 = 0x10000000;
export const ZX_USER_SIGNAL_5 = 0x20000000;
export const ZX_USER_SIGNAL_6 = 0x40000000;
export const ZX_USER_SIGNAL_7 = 0x80000000;

// types.h: per-object signal names
export const ZX_SIGNAL_HANDLE_CLOSED = 0x800000;
export const ZX_EVENT_SIGNALED = 0x8;
export const ZX_EVENT_SIGNAL_MASK = 0xff000008;
export const ZX_EVENTPAIR_SIGNALED = 0x8;
export const ZX_EVENTPAIR_PEER_CLOSED = 0x4;
export const ZX_EVENTPAIR_SIGNAL_MASK = 0xff00000c;
export const ZX_CHANNEL_READABLE = 0x1;
export const ZX_CHANNEL_WRITABLE = 0x2;
export const ZX_CHANNEL_PEER_CLOSED = 0x4;
export const ZX_CLOCK_STARTED = 0x10;
export const ZX_CLOCK_UPDATED = 0x20;
export const ZX_SOCKET_READABLE = 0x1;
export const ZX_SOCKET_WRITABLE = 0x2;
export const ZX_SOCKET_PEER_CLOSED = 0x4;
export const ZX_SOCKET_PEER_WRITE_DISABLED = 0x10;
export const ZX_SOCKET_WRITE_DISABLED = 0x20;
export const ZX_SOCKET_READ_THRESHOLD = 0x400;
export const ZX_SOCKET_WRITE_THRESHOLD = 0x800;
export const ZX_FIFO_READABLE = 0x1;
export const ZX_FIFO_WRITABLE = 0x2;
export const ZX_FIFO_PEER_CLOSED = 0x4;
export const ZX_TASK_TERMINATED = 0x8;
export const ZX_JOB_TERMINATED = 0x8;
export const ZX_JOB_NO_JOBS = 0x10;
export const ZX_JOB_NO_PROCESSES = 0x20;
export const ZX_PROCESS_TERMINATED = 0x8;
export const ZX_THREAD_TERMINATED = 0x8;
export const ZX_THREAD_RUNNING = 0x10;
export const ZX_THREAD_SUSPENDED = 0x20;
export const ZX_LOG_READABLE = 0x1;
export const ZX_LOG_WRITABLE = 0x2;
export const ZX_TIMER_SIGNALED = 0x8;
export const ZX_VMO_ZERO_CHILDREN = 0x8;
export const ZX_IOB_PEER_CLOSED = 0x4;
export const ZX_COUNTER_SIGNALED = 0x8;
export const ZX_COUNTER_POSITIVE = 0x10;
export const ZX_COUNTER_NON_POSITIVE = 0x20;
export const ZX_VIRTUAL_INTERRUPT_UNTRIGGERED = 0x10;

// types.h: kernel object ids (zx_koid_t, 64-bit)
export const ZX_KOID_INVALID = 0n;
export const ZX_KOID_KERNEL = 1n;
export const ZX_KOID_FIRST = 1024n;

// types.h: limit on zx_object_wait_many() items
export const ZX_WAIT_MANY_MAX_ITEMS = 64;

// types.h: zx_vmo_create() options
export const ZX_VMO_RESIZABLE = 0x2;
export const ZX_VMO_DISCARDABLE = 0x4;
export const ZX_VMO_TRAP_DIRTY = 0x8;
export const ZX_VMO_UNBOUNDED = 0x10;

// types.h: zx_vmo_op_range() opcodes (5 is retired)
export const ZX_VMO_OP_COMMIT = 1;
export const ZX_VMO_OP_DECOMMIT = 2;
export const ZX_VMO_OP_LOCK = 3;
export const ZX_VMO_OP_UNLOCK = 4;
export const ZX_VMO_OP_CACHE_SYNC = 6;
export const ZX_VMO_OP_CACHE_INVALIDATE = 7;
export const ZX_VMO_OP_CACHE_CLEAN = 8;
export const ZX_VMO_OP_CACHE_CLEAN_INVALIDATE = 9;
export const ZX_VMO_OP_ZERO = 10;
export const ZX_VMO_OP_TRY_LOCK = 11;
export const ZX_VMO_OP_DONT_NEED = 12;
export const ZX_VMO_OP_ALWAYS_NEED = 13;
export const ZX_VMO_OP_PREFETCH = 14;

// types.h: zx_vmar_op_range() opcodes (numbered to match the VMO opcodes they mirror)
export const ZX_VMAR_OP_COMMIT = 1;
export const ZX_VMAR_OP_DECOMMIT = 2;
export const ZX_VMAR_OP_MAP_RANGE = 3;
export const ZX_VMAR_OP_ZERO = 10;
export const ZX_VMAR_OP_DONT_NEED = 12;
export const ZX_VMAR_OP_ALWAYS_NEED = 13;
export const ZX_VMAR_OP_PREFETCH = 14;

// types.h: zx_pager_op_range() opcodes
export const ZX_PAGER_OP_FAIL = 1;
export const ZX_PAGER_OP_DIRTY = 2;
export const ZX_PAGER_OP_WRITEBACK_BEGIN = 3;
export const ZX_PAGER_OP_WRITEBACK_END = 4;

// types.h: zx_pager_query_vmo_stats() result value and option
export const ZX_PAGER_VMO_STATS_MODIFIED = 1;
export const ZX_PAGER_RESET_VMO_STATS = 1;

// types.h: zx_vmo_create_child() options
export const ZX_VMO_CHILD_SNAPSHOT = 0x1;
export const ZX_VMO_CHILD_RESIZABLE = 0x4;
export const ZX_VMO_CHILD_SLICE = 0x8;
export const ZX_VMO_CHILD_SNAPSHOT_AT_LEAST_ON_WRITE = 0x10;
export const ZX_VMO_CHILD_NO_WRITE = 0x20;
export const ZX_VMO_CHILD_REFERENCE = 0x40;
export const ZX_VMO_CHILD_SNAPSHOT_MODIFIED = 0x80;

// types.h (older releases only, gone by 2025): deprecated aliases of SNAPSHOT_AT_LEAST_ON_WRITE
export const ZX_VMO_CLONE_COPY_ON_WRITE = 0x10;
export const ZX_VMO_CHILD_COPY_ON_WRITE = 0x10;
export const ZX_VMO_CHILD_PRIVATE_PAGER_COPY = 0x10;

// types.h: zx_vmar_map() / zx_vmar_allocate() / zx_vmar_protect() options (zx_vm_option_t)
export const ZX_VM_PERM_READ = 0x1;
export const ZX_VM_PERM_WRITE = 0x2;
export const ZX_VM_PERM_EXECUTE = 0x4;
export const ZX_VM_COMPACT = 0x8;
export const ZX_VM_SPECIFIC = 0x10;
export const ZX_VM_SPECIFIC_OVERWRITE = 0x20;
export const ZX_VM_CAN_MAP_SPECIFIC = 0x40;
export const ZX_VM_CAN_MAP_READ = 0x80;
export const ZX_VM_CAN_MAP_WRITE = 0x100;
export const ZX_VM_CAN_MAP_EXECUTE = 0x200;
export const ZX_VM_MAP_RANGE = 0x400;
export const ZX_VM_REQUIRE_NON_RESIZABLE = 0x800;
export const ZX_VM_ALLOW_FAULTS = 0x1000;
export const ZX_VM_OFFSET_IS_UPPER_LIMIT = 0x2000;
export const ZX_VM_PERM_READ_IF_XOM_UNSUPPORTED = 0x4000;
export const ZX_VM_FAULT_BEYOND_STREAM_SIZE = 0x8000;

// types.h: alignment requests, log2 of the alignment placed at bit ZX_VM_ALIGN_BASE
export const ZX_VM_ALIGN_BASE = 24;
export const ZX_VM_ALIGN_1KB = 0x0a000000;
export const ZX_VM_ALIGN_2KB = 0x0b000000;
export const ZX_VM_ALIGN_4KB = 0x0c000000;
export const ZX_VM_ALIGN_8KB = 0x0d000000;
export const ZX_VM_ALIGN_16KB = 0x0e000000;
export const ZX_VM_ALIGN_32KB = 0x0f000000;
export const ZX_VM_ALIGN_64KB = 0x10000000;
export const ZX_VM_ALIGN_128KB = 0x11000000;
export const ZX_VM_ALIGN_256KB = 0x12000000;
export const ZX_VM_ALIGN_512KB = 0x13000000;
export const ZX_VM_ALIGN_1MB = 0x14000000;
export const ZX_VM_ALIGN_2MB = 0x15000000;
export const ZX_VM_ALIGN_4MB = 0x16000000;
export const ZX_VM_ALIGN_8MB = 0x17000000;
export const ZX_VM_ALIGN_16MB = 0x18000000;
export const ZX_VM_ALIGN_32MB = 0x19000000;
export const ZX_VM_ALIGN_64MB = 0x1a000000;
export const ZX_VM_ALIGN_128MB = 0x1b000000;
export const ZX_VM_ALIGN_256MB = 0x1c000000;
export const ZX_VM_ALIGN_512MB = 0x1d000000;
export const ZX_VM_ALIGN_1GB = 0x1e000000;
export const ZX_VM_ALIGN_2GB = 0x1f000000;
export const ZX_VM_ALIGN_4GB = 0x20000000;

// types.h: older spellings of the mapping options, still defined
export const ZX_VM_FLAG_PERM_READ = 0x1;
export const ZX_VM_FLAG_PERM_WRITE = 0x2;
export const ZX_VM_FLAG_PERM_EXECUTE = 0x4;
export const ZX_VM_FLAG_COMPACT = 0x8;
export const ZX_VM_FLAG_SPECIFIC = 0x10;
export const ZX_VM_FLAG_SPECIFIC_OVERWRITE = 0x20;
export const ZX_VM_FLAG_CAN_MAP_SPECIFIC = 0x40;
export const ZX_VM_FLAG_CAN_MAP_READ = 0x80;
export const ZX_VM_FLAG_CAN_MAP_WRITE = 0x100;
export const ZX_VM_FLAG_CAN_MAP_EXECUTE = 0x200;
export const ZX_VM_FLAG_MAP_RANGE = 0x400;
export const ZX_VM_FLAG_REQUIRE_NON_RESIZABLE = 0x800;

// types.h: longest kernel object name, counting the terminating NUL
export const ZX_MAX_NAME_LEN = 32;

// types.h: stream creation modes, write option and seek origins
export const ZX_STREAM_MODE_READ = 0x1;
export const ZX_STREAM_MODE_WRITE = 0x2;
export const ZX_STREAM_MODE_APPEND = 0x4;
export const ZX_STREAM_CREATE_MASK = 0x7;
export const ZX_STREAM_APPEND = 0x1;
export const ZX_STREAM_SEEK_ORIGIN_START = 0;
export const ZX_STREAM_SEEK_ORIGIN_CURRENT = 1;
export const ZX_STREAM_SEEK_ORIGIN_END = 2;

// types.h: cache policies for mappings and VMOs
export const ZX_CACHE_POLICY_CACHED = 0;
export const ZX_CACHE_POLICY_UNCACHED = 1;
export const ZX_CACHE_POLICY_UNCACHED_DEVICE = 2;
export const ZX_CACHE_POLICY_WRITE_COMBINING = 3;
export const ZX_CACHE_POLICY_MASK = 0x3;

// types.h: zx_cache_flush() options
export const ZX_CACHE_FLUSH_INSN = 0x1;
export const ZX_CACHE_FLUSH_DATA = 0x2;
export const ZX_CACHE_FLUSH_INVALIDATE = 0x4;

// types.h: zx_bti_pin() options
export const ZX_BTI_PERM_READ = 0x1;
export const ZX_BTI_PERM_WRITE = 0x2;
export const ZX_BTI_PERM_EXECUTE = 0x4;
export const ZX_BTI_COMPRESS = 0x8;
export const ZX_BTI_CONTIGUOUS = 0x10;

// types.h: zx_job_set_critical() option and zx_process_create() option
export const ZX_JOB_CRITICAL_PROCESS_RETCODE_NONZERO = 0x1;
export const ZX_PROCESS_SHARED = 0x1;

// types.h: kernel object types (zx_obj_type_t)
export const ZX_OBJ_TYPE_NONE = 0;
export const ZX_OBJ_TYPE_PROCESS = 1;
export const ZX_OBJ_TYPE_THREAD = 2;
export const ZX_OBJ_TYPE_VMO = 3;
export const ZX_OBJ_TYPE_CHANNEL = 4;
export const ZX_OBJ_TYPE_EVENT = 5;
export const ZX_OBJ_TYPE_PORT = 6;
export const ZX_OBJ_TYPE_INTERRUPT = 9;
export const ZX_OBJ_TYPE_PCI_DEVICE = 11;
export const ZX_OBJ_TYPE_DEBUGLOG = 12;
export const ZX_OBJ_TYPE_LOG = 12;
export const ZX_OBJ_TYPE_SOCKET = 14;
export const ZX_OBJ_TYPE_RESOURCE = 15;
export const ZX_OBJ_TYPE_EVENTPAIR = 16;
export const ZX_OBJ_TYPE_JOB = 17;
export const ZX_OBJ_TYPE_VMAR = 18;
export const ZX_OBJ_TYPE_FIFO = 19;
export const ZX_OBJ_TYPE_GUEST = 20;
export const ZX_OBJ_TYPE_VCPU = 21;
export const ZX_OBJ_TYPE_TIMER = 22;
export const ZX_OBJ_TYPE_IOMMU = 23;
export const ZX_OBJ_TYPE_BTI = 24;
export const ZX_OBJ_TYPE_PROFILE = 25;
export const ZX_OBJ_TYPE_PMT = 26;
export const ZX_OBJ_TYPE_SUSPEND_TOKEN = 27;
export const ZX_OBJ_TYPE_PAGER = 28;
export const ZX_OBJ_TYPE_EXCEPTION = 29;
export const ZX_OBJ_TYPE_CLOCK = 30;
export const ZX_OBJ_TYPE_STREAM = 31;
export const ZX_OBJ_TYPE_MSI = 32;
export const ZX_OBJ_TYPE_IOB = 33;
export const ZX_OBJ_TYPE_COUNTER = 34;
export const ZX_OBJ_TYPE_IOB_SHARED_REGION = 35;
export const ZX_OBJ_TYPE_SAMPLER = 36;
export const ZX_OBJ_TYPE_UPPER_BOUND = 64;

// types.h: system event kinds and memory stall kinds
export const ZX_SYSTEM_EVENT_OUT_OF_MEMORY = 1;
export const ZX_SYSTEM_EVENT_MEMORY_PRESSURE_CRITICAL = 2;
export const ZX_SYSTEM_EVENT_MEMORY_PRESSURE_WARNING = 3;
export const ZX_SYSTEM_EVENT_MEMORY_PRESSURE_NORMAL = 4;
export const ZX_SYSTEM_EVENT_IMMINENT_OUT_OF_MEMORY = 5;
export const ZX_SYSTEM_MEMORY_STALL_SOME = 0;
export const ZX_SYSTEM_MEMORY_STALL_FULL = 1;

// types.h: handle disposition operations
export const ZX_HANDLE_OP_MOVE = 0;
export const ZX_HANDLE_OP_DUPLICATE = 1;

// time.h: the end points of the time line (zx_time_t, signed 64-bit)
export const ZX_TIME_INFINITE = 9223372036854775807n;
export const ZX_TIME_INFINITE_PAST = -9223372036854775808n;

// limits.h: page size bounds (the maximum shown is the x86-64 and riscv64 one; arm64 uses 16)
export const ZX_MIN_PAGE_SHIFT = 12;
export const ZX_MAX_PAGE_SHIFT = 21;
export const ZX_MIN_PAGE_SIZE = 4096;
export const ZX_MAX_PAGE_SIZE = 0x200000;

// limits.h (older releases only): fixed page size, which this model keeps using
export const ZX_PAGE_SHIFT = 12;
export const ZX_PAGE_SIZE = 4096;
export const ZX_PAGE_MASK = 4095;
