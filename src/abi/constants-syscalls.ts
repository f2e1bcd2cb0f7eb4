// Zircon ABI constants from the syscalls/*.h headers, features.h and syscalls-next.h.
// Same conventions as constants.ts.

// syscalls/object.h: zx_object_get_info() topics; versioned topics keep the version in bits 28-31
export const ZX_INFO_NONE = 0;
export const ZX_INFO_HANDLE_VALID = 1;
export const ZX_INFO_HANDLE_BASIC = 2;
export const ZX_INFO_PROCESS = 0x10000003;
export const ZX_INFO_PROCESS_THREADS = 4;
export const ZX_INFO_VMAR = 7;
export const ZX_INFO_JOB_CHILDREN = 8;
export const ZX_INFO_JOB_PROCESSES = 9;
export const ZX_INFO_THREAD = 10;
export const ZX_INFO_THREAD_EXCEPTION_REPORT_V1 = 0x0000000b;
export const ZX_INFO_THREAD_EXCEPTION_REPORT = 0x1000000b;
export const ZX_INFO_TASK_STATS_V1 = 0x0000000c;
export const ZX_INFO_TASK_STATS = 0x1000000c;
export const ZX_INFO_PROCESS_MAPS_V1 = 0x0000000d;
export const ZX_INFO_PROCESS_MAPS_V2 = 0x1000000d;
export const ZX_INFO_PROCESS_MAPS = 0x2000000d;
export const ZX_INFO_PROCESS_VMOS_V1 = 0x0000000e;
export const ZX_INFO_PROCESS_VMOS_V2 = 0x1000000e;
export const ZX_INFO_PROCESS_VMOS_V3 = 0x2000000e;
export const ZX_INFO_PROCESS_VMOS = 0x3000000e;
export const ZX_INFO_THREAD_STATS = 15;
export const ZX_INFO_CPU_STATS = 16;
export const ZX_INFO_KMEM_STATS_V1 = 0x00000011;
export const ZX_INFO_KMEM_STATS = 0x10000011;
export const ZX_INFO_RESOURCE = 18;
export const ZX_INFO_HANDLE_COUNT = 19;
export const ZX_INFO_BTI = 20;
export const ZX_INFO_PROCESS_HANDLE_STATS = 21;
export const ZX_INFO_SOCKET = 22;
export const ZX_INFO_VMO_V1 = 0x00000017;
export const ZX_INFO_VMO_V2 = 0x10000017;
export const ZX_INFO_VMO_V3 = 0x20000017;
export const ZX_INFO_VMO = 0x30000017;
export const ZX_INFO_JOB = 24;
export const ZX_INFO_TIMER = 25;
export const ZX_INFO_STREAM = 26;
export const ZX_INFO_HANDLE_TABLE = 27;
export const ZX_INFO_MSI = 28;
export const ZX_INFO_GUEST_STATS = 29;
export const ZX_INFO_TASK_RUNTIME_V1 = 0x0000001e;
export const ZX_INFO_TASK_RUNTIME = 0x1000001e;
export const ZX_INFO_KMEM_STATS_EXTENDED = 31;
export const ZX_INFO_VCPU = 32;
export const ZX_INFO_KMEM_STATS_COMPRESSION = 33;
export const ZX_INFO_IOB = 34;
export const ZX_INFO_IOB_REGIONS = 35;
export const ZX_INFO_VMAR_MAPS = 36;
export const ZX_INFO_POWER_DOMAINS = 37;
export const ZX_INFO_MEMORY_STALL = 38;
export const ZX_INFO_INTERRUPT = 39;
export const ZX_INFO_CLOCK_MAPPED_SIZE = 40;

// syscalls/object.h: return codes of killed tasks (int64_t)
export const ZX_TASK_RETCODE_SYSCALL_KILL = -1024n;
export const ZX_TASK_RETCODE_OOM_KILL = -1025n;
export const ZX_TASK_RETCODE_POLICY_KILL = -1026n;
export const ZX_TASK_RETCODE_VDSO_KILL = -1027n;
export const ZX_TASK_RETCODE_EXCEPTION_KILL = -1028n;
export const ZX_TASK_RETCODE_CRITICAL_PROCESS_KILL = -1029n;

// syscalls/object.h: sentinel for "no CPU" in info records
export const ZX_INFO_INVALID_CPU = 0xffffffff;

// syscalls/object.h: zx_info_process_t flags
export const ZX_INFO_PROCESS_FLAG_STARTED = 0x1;
export const ZX_INFO_PROCESS_FLAG_EXITED = 0x2;
export const ZX_INFO_PROCESS_FLAG_DEBUGGER_ATTACHED = 0x4;

// syscalls/object.h: zx_info_maps_t entry kinds
export const ZX_INFO_MAPS_TYPE_NONE = 0;
export const ZX_INFO_MAPS_TYPE_ASPACE = 1;
export const ZX_INFO_MAPS_TYPE_VMAR = 2;
export const ZX_INFO_MAPS_TYPE_MAPPING = 3;

// syscalls/object.h: zx_info_vmo_t flag bits (TYPE_PAGED and TYPE_PHYSICAL share bit 0)
export const ZX_INFO_VMO_TYPE_PAGED = 0x1;
export const ZX_INFO_VMO_TYPE_PHYSICAL = 0x0;
export const ZX_INFO_VMO_RESIZABLE = 0x2;
export const ZX_INFO_VMO_IS_COW_CLONE = 0x4;
export const ZX_INFO_VMO_VIA_HANDLE = 0x8;
export const ZX_INFO_VMO_VIA_MAPPING = 0x10;
export const ZX_INFO_VMO_PAGER_BACKED = 0x20;
export const ZX_INFO_VMO_CONTIGUOUS = 0x40;
export const ZX_INFO_VMO_DISCARDABLE = 0x80;
export const ZX_INFO_VMO_IMMUTABLE = 0x100;
export const ZX_INFO_VMO_VIA_IOB_HANDLE = 0x200;

// syscalls/object.h: vcpu and cpu-stats flags
export const ZX_INFO_VCPU_FLAG_KICKED = 0x1;
export const ZX_INFO_CPU_STATS_FLAG_ONLINE = 0x1;

// syscalls/object.h: zx_object_get_property() / zx_object_set_property() properties
export const ZX_PROP_REGISTER_GS = 2; // x86-64 only
export const ZX_PROP_NAME = 3;
export const ZX_PROP_REGISTER_FS = 4; // x86-64 only
export const ZX_PROP_PROCESS_DEBUG_ADDR = 5;
export const ZX_PROP_PROCESS_VDSO_BASE_ADDRESS = 6;
export const ZX_PROP_PROCESS_BREAK_ON_LOAD = 7;
export const ZX_PROP_PROCESS_HW_TRACE_CONTEXT_ID = 8;
export const ZX_PROP_SOCKET_RX_THRESHOLD = 12;
export const ZX_PROP_SOCKET_TX_THRESHOLD = 13;
export const ZX_PROP_JOB_KILL_ON_OOM = 15;
export const ZX_PROP_EXCEPTION_STATE = 16;
export const ZX_PROP_VMO_CONTENT_SIZE = 17;
export const ZX_PROP_EXCEPTION_STRATEGY = 18;
export const ZX_PROP_STREAM_MODE_APPEND = 19;

// syscalls/object.h: thread states; the low byte is the basic state, the next byte the reason
export const ZX_THREAD_STATE_NEW = 0x0000;
export const ZX_THREAD_STATE_RUNNING = 0x0001;
export const ZX_THREAD_STATE_SUSPENDED = 0x0002;
export const ZX_THREAD_STATE_BLOCKED = 0x0003;
export const ZX_THREAD_STATE_DYING = 0x0004;
export const ZX_THREAD_STATE_DEAD = 0x0005;
export const ZX_THREAD_STATE_BLOCKED_EXCEPTION = 0x0103;
export const ZX_THREAD_STATE_BLOCKED_SLEEPING = 0x0203;
export const ZX_THREAD_STATE_BLOCKED_FUTEX = 0x0303;
export const ZX_THREAD_STATE_BLOCKED_PORT = 0x0403;
export const ZX_THREAD_STATE_BLOCKED_CHANNEL = 0x0503;
export const ZX_THREAD_STATE_BLOCKED_WAIT_ONE = 0x0603;
export const ZX_THREAD_STATE_BLOCKED_WAIT_MANY = 0x0703;
export const ZX_THREAD_STATE_BLOCKED_INTERRUPT = 0x0803;
export const ZX_THREAD_STATE_BLOCKED_PAGER = 0x0903;

// syscalls/object.h: values of ZX_PROP_EXCEPTION_STATE and ZX_PROP_EXCEPTION_STRATEGY
export const ZX_EXCEPTION_STATE_TRY_NEXT = 0;
export const ZX_EXCEPTION_STATE_HANDLED = 1;
export const ZX_EXCEPTION_STATE_THREAD_EXIT = 2;
export const ZX_EXCEPTION_STRATEGY_FIRST_CHANCE = 0;
export const ZX_EXCEPTION_STRATEGY_SECOND_CHANCE = 1;

// syscalls/policy.h: zx_job_set_policy() modes and topics
export const ZX_JOB_POL_RELATIVE = 0;
export const ZX_JOB_POL_ABSOLUTE = 1;
export const ZX_JOB_POL_BASIC_V1 = 0;
export const ZX_JOB_POL_BASIC_V2 = 0x01000000;
export const ZX_JOB_POL_BASIC = 0;
export const ZX_JOB_POL_TIMER_SLACK = 1;

// syscalls/policy.h: policy conditions (ZX_POL_MAX is only visible to kernel code)
export const ZX_POL_BAD_HANDLE = 0;
export const ZX_POL_WRONG_OBJECT = 1;
export const ZX_POL_VMAR_WX = 2;
export const ZX_POL_NEW_ANY = 3;
export const ZX_POL_NEW_VMO = 4;
export const ZX_POL_NEW_CHANNEL = 5;
export const ZX_POL_NEW_EVENT = 6;
export const ZX_POL_NEW_EVENTPAIR = 7;
export const ZX_POL_NEW_PORT = 8;
export const ZX_POL_NEW_SOCKET = 9;
export const ZX_POL_NEW_FIFO = 10;
export const ZX_POL_NEW_TIMER = 11;
export const ZX_POL_NEW_PROCESS = 12;
export const ZX_POL_NEW_PROFILE = 13;
export const ZX_POL_NEW_PAGER = 14;
export const ZX_POL_AMBIENT_MARK_VMO_EXEC = 15;
export const ZX_POL_NEW_IOB = 16;
export const ZX_POL_NEW_SAMPLER = 17;
export const ZX_POL_MAX = 18;

// syscalls/policy.h: policy actions (ZX_POL_ACTION_MAX is only visible to kernel code)
export const ZX_POL_ACTION_ALLOW = 0;
export const ZX_POL_ACTION_DENY = 1;
export const ZX_POL_ACTION_ALLOW_EXCEPTION = 2;
export const ZX_POL_ACTION_DENY_EXCEPTION = 3;
export const ZX_POL_ACTION_KILL = 4;
export const ZX_POL_ACTION_MAX = 5;

// syscalls/policy.h: whether child jobs may override a policy
export const ZX_POL_OVERRIDE_ALLOW = 0;
export const ZX_POL_OVERRIDE_DENY = 1;

// syscalls/resource.h: resource kinds (zx_rsrc_kind_t)
export const ZX_RSRC_KIND_MMIO = 0;
export const ZX_RSRC_KIND_IRQ = 1;
export const ZX_RSRC_KIND_IOPORT = 2;
export const ZX_RSRC_KIND_SMC = 4;
export const ZX_RSRC_KIND_SYSTEM = 5;
export const ZX_RSRC_KIND_COUNT = 6;

// syscalls/resource.h: resource flags (zx_rsrc_flags_t)
export const ZX_RSRC_FLAG_EXCLUSIVE = 0x00010000;
export const ZX_RSRC_FLAGS_MASK = 0x00010000;

// syscalls/resource.h: bases of the system resource ranges (zx_rsrc_system_base_t, 64-bit)
export const ZX_RSRC_SYSTEM_HYPERVISOR_BASE = 0n;
export const ZX_RSRC_SYSTEM_VMEX_BASE = 1n;
export const ZX_RSRC_SYSTEM_DEBUG_BASE = 2n;
export const ZX_RSRC_SYSTEM_INFO_BASE = 3n;
export const ZX_RSRC_SYSTEM_CPU_BASE = 4n;
export const ZX_RSRC_SYSTEM_POWER_BASE = 5n;
export const ZX_RSRC_SYSTEM_MEXEC_BASE = 6n;
export const ZX_RSRC_SYSTEM_ENERGY_INFO_BASE = 7n;
export const ZX_RSRC_SYSTEM_IOMMU_BASE = 8n;
export const ZX_RSRC_SYSTEM_PROFILE_BASE = 10n;
export const ZX_RSRC_SYSTEM_MSI_BASE = 11n;
export const ZX_RSRC_SYSTEM_DEBUGLOG_BASE = 12n;
export const ZX_RSRC_SYSTEM_STALL_BASE = 13n;
export const ZX_RSRC_SYSTEM_TRACING_BASE = 14n;
export const ZX_RSRC_SYSTEM_SAMPLING_BASE = 15n;
export const ZX_RSRC_SYSTEM_COUNT = 16n;

// syscalls/iommu.h: descriptor limit, IOMMU kinds and Intel scope kinds
export const ZX_IOMMU_MAX_DESC_LEN = 4096;
export const ZX_IOMMU_TYPE_STUB = 0;
export const ZX_IOMMU_TYPE_DUMMY = 0;
export const ZX_IOMMU_TYPE_INTEL = 1;
export const ZX_IOMMU_TYPE_ARM_SMMU = 2;
export const ZX_IOMMU_INTEL_SCOPE_ENDPOINT = 0;
export const ZX_IOMMU_INTEL_SCOPE_BRIDGE = 1;

// syscalls/port.h: zx_object_wait_async() options
export const ZX_WAIT_ASYNC_ONCE = 0x0;
export const ZX_WAIT_ASYNC_TIMESTAMP = 0x1;
export const ZX_WAIT_ASYNC_EDGE = 0x2;
export const ZX_WAIT_ASYNC_BOOT_TIMESTAMP = 0x4;

// syscalls/port.h: port packet types (0x02 is retired)
export const ZX_PKT_TYPE_USER = 0x00;
export const ZX_PKT_TYPE_SIGNAL_ONE = 0x01;
export const ZX_PKT_TYPE_GUEST_BELL = 0x03;
export const ZX_PKT_TYPE_GUEST_MEM = 0x04;
export const ZX_PKT_TYPE_GUEST_IO = 0x05;
export const ZX_PKT_TYPE_GUEST_VCPU = 0x06;
export const ZX_PKT_TYPE_INTERRUPT = 0x07;
export const ZX_PKT_TYPE_PAGE_REQUEST = 0x09;

// syscalls-next.h: packet type used by processor power management
export const ZX_PKT_TYPE_PROCESSOR_POWER_LEVEL_TRANSITION_REQUEST = 0x0a;

// syscalls/port.h: zx_port_create() option
export const ZX_PORT_BIND_TO_INTERRUPT = 0x1;

// syscalls/port.h: guest vcpu packet kinds
export const ZX_PKT_GUEST_VCPU_INTERRUPT = 0;
export const ZX_PKT_GUEST_VCPU_STARTUP = 1;

// syscalls/port.h: page request commands delivered to a pager (uint16_t)
export const ZX_PAGER_VMO_READ = 0;
export const ZX_PAGER_VMO_COMPLETE = 1;
export const ZX_PAGER_VMO_DIRTY = 2;

// syscalls-next.h: zx_vmo_dirty_range_t option (uint64_t)
export const ZX_VMO_DIRTY_RANGE_IS_ZERO = 1n;

// features.h: zx_system_get_features() kinds and architecture-neutral feature bits
export const ZX_FEATURE_KIND_CPU = 0;
export const ZX_FEATURE_KIND_HW_BREAKPOINT_COUNT = 1;
export const ZX_FEATURE_KIND_HW_WATCHPOINT_COUNT = 2;
export const ZX_FEATURE_KIND_ADDRESS_TAGGING = 3;
export const ZX_FEATURE_KIND_VM = 4;
export const ZX_HAS_CPU_FEATURES = 0x1;
export const ZX_VM_FEATURE_CAN_MAP_XOM = 0x1;
