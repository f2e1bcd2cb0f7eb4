// Checks src/abi/constants.ts against values transcribed by hand from the Zircon public headers
// (zircon/system/public/zircon/..., 2025 tree). Each group names the header it was read from.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import * as C from '../../src/abi/constants.ts';

type Row = readonly [name: string, value: number | bigint];

const GROUPS: Readonly<Record<string, readonly Row[]>> = {
  // zircon/errors.h
  'errors.h': [
    ['ZX_OK', 0],
    ['ZX_ERR_INTERNAL', -1],
    ['ZX_ERR_NOT_SUPPORTED', -2],
    ['ZX_ERR_NO_RESOURCES', -3],
    ['ZX_ERR_NO_MEMORY', -4],
    ['ZX_ERR_INTERNAL_INTR_RETRY', -6],
    ['ZX_ERR_INVALID_ARGS', -10],
    ['ZX_ERR_BAD_HANDLE', -11],
    ['ZX_ERR_WRONG_TYPE', -12],
    ['ZX_ERR_BAD_SYSCALL', -13],
    ['ZX_ERR_OUT_OF_RANGE', -14],
    ['ZX_ERR_BUFFER_TOO_SMALL', -15],
    ['ZX_ERR_BAD_STATE', -20],
    ['ZX_ERR_TIMED_OUT', -21],
    ['ZX_ERR_SHOULD_WAIT', -22],
    ['ZX_ERR_CANCELED', -23],
    ['ZX_ERR_PEER_CLOSED', -24],
    ['ZX_ERR_NOT_FOUND', -25],
    ['ZX_ERR_ALREADY_EXISTS', -26],
    ['ZX_ERR_ALREADY_BOUND', -27],
    ['ZX_ERR_UNAVAILABLE', -28],
    ['ZX_ERR_ACCESS_DENIED', -30],
    ['ZX_ERR_IO', -40],
    ['ZX_ERR_IO_REFUSED', -41],
    ['ZX_ERR_IO_DATA_INTEGRITY', -42],
    ['ZX_ERR_IO_DATA_LOSS', -43],
    ['ZX_ERR_IO_NOT_PRESENT', -44],
    ['ZX_ERR_IO_OVERRUN', -45],
    ['ZX_ERR_IO_MISSED_DEADLINE', -46],
    ['ZX_ERR_IO_INVALID', -47],
    ['ZX_ERR_BAD_PATH', -50],
    ['ZX_ERR_NOT_DIR', -51],
    ['ZX_ERR_NOT_FILE', -52],
    ['ZX_ERR_FILE_BIG', -53],
    ['ZX_ERR_NO_SPACE', -54],
    ['ZX_ERR_NOT_EMPTY', -55],
    ['ZX_ERR_STOP', -60],
    ['ZX_ERR_NEXT', -61],
    ['ZX_ERR_ASYNC', -62],
    ['ZX_ERR_PROTOCOL_NOT_SUPPORTED', -70],
    ['ZX_ERR_ADDRESS_UNREACHABLE', -71],
    ['ZX_ERR_ADDRESS_IN_USE', -72],
    ['ZX_ERR_NOT_CONNECTED', -73],
    ['ZX_ERR_CONNECTION_REFUSED', -74],
    ['ZX_ERR_CONNECTION_RESET', -75],
    ['ZX_ERR_CONNECTION_ABORTED', -76],
    ['ZX_ERR_INTERNAL_INTR_KILLED', -502],
  ],

  // zircon/rights.h: single rights (1u << n)
  'rights.h rights': [
    ['ZX_RIGHT_NONE', 0],
    ['ZX_RIGHT_DUPLICATE', 0x1],
    ['ZX_RIGHT_TRANSFER', 0x2],
    ['ZX_RIGHT_READ', 0x4],
    ['ZX_RIGHT_WRITE', 0x8],
    ['ZX_RIGHT_EXECUTE', 0x10],
    ['ZX_RIGHT_MAP', 0x20],
    ['ZX_RIGHT_GET_PROPERTY', 0x40],
    ['ZX_RIGHT_SET_PROPERTY', 0x80],
    ['ZX_RIGHT_ENUMERATE', 0x100],
    ['ZX_RIGHT_DESTROY', 0x200],
    ['ZX_RIGHT_SET_POLICY', 0x400],
    ['ZX_RIGHT_GET_POLICY', 0x800],
    ['ZX_RIGHT_SIGNAL', 0x1000],
    ['ZX_RIGHT_SIGNAL_PEER', 0x2000],
    ['ZX_RIGHT_WAIT', 0x4000],
    ['ZX_RIGHT_INSPECT', 0x8000],
    ['ZX_RIGHT_MANAGE_JOB', 0x10000],
    ['ZX_RIGHT_MANAGE_PROCESS', 0x20000],
    ['ZX_RIGHT_MANAGE_THREAD', 0x40000],
    ['ZX_RIGHT_APPLY_PROFILE', 0x80000],
    ['ZX_RIGHT_MANAGE_SOCKET', 0x100000],
    ['ZX_RIGHT_OP_CHILDREN', 0x200000],
    ['ZX_RIGHT_RESIZE', 0x400000],
    ['ZX_RIGHT_ATTACH_VMO', 0x800000],
    ['ZX_RIGHT_MANAGE_VMO', 0x1000000],
    ['ZX_RIGHT_SAME_RIGHTS', 0x80000000],
  ],

  // zircon/rights.h: groups and defaults (folded by hand from the header's expressions; the
  // expressions themselves are re-evaluated in a separate test below)
  'rights.h groups': [
    ['ZX_RIGHTS_BASIC', 0xc003],
    ['ZX_RIGHTS_IO', 0xc],
    ['ZX_RIGHTS_PROPERTY', 0xc0],
    ['ZX_RIGHTS_POLICY', 0xc00],
    ['ZX_DEFAULT_CHANNEL_RIGHTS', 0xf00e],
    ['ZX_DEFAULT_EVENT_RIGHTS', 0xd003],
    ['ZX_DEFAULT_SYSTEM_EVENT_LOW_MEMORY_RIGHTS', 0x4003],
    ['ZX_DEFAULT_SYSTEM_MEMORY_STALL_EVENT_RIGHTS', 0x4003],
    ['ZX_DEFAULT_EVENTPAIR_RIGHTS', 0xf003],
    ['ZX_DEFAULT_FIFO_RIGHTS', 0xf00f],
    ['ZX_DEFAULT_GUEST_RIGHTS', 0x4800b],
    ['ZX_DEFAULT_INTERRUPT_RIGHTS', 0xd00f],
    ['ZX_DEFAULT_JOB_RIGHTS', 0x7dfcf],
    ['ZX_DEFAULT_LOG_RIGHTS', 0xd00b],
    ['ZX_DEFAULT_MSI_RIGHTS', 0xc003],
    ['ZX_DEFAULT_PCI_DEVICE_RIGHTS', 0xc00f],
    ['ZX_DEFAULT_PCI_INTERRUPT_RIGHTS', 0xd00f],
    ['ZX_DEFAULT_PORT_RIGHTS', 0x800f],
    ['ZX_DEFAULT_PROCESS_RIGHTS', 0x6d3cf],
    ['ZX_DEFAULT_RESOURCE_RIGHTS', 0x800b],
    ['ZX_DEFAULT_SOCKET_RIGHTS', 0x10f0cf],
    ['ZX_DEFAULT_STREAM_RIGHTS', 0xd0c3],
    ['ZX_DEFAULT_THREAD_RIGHTS', 0x4d2cf],
    ['ZX_DEFAULT_TIMER_RIGHTS', 0xd00b],
    ['ZX_DEFAULT_VCPU_RIGHTS', 0xd01f],
    ['ZX_DEFAULT_VMAR_RIGHTS', 0x208003],
    ['ZX_DEFAULT_VMO_RIGHTS', 0xd0ef],
    ['ZX_DEFAULT_IOMMU_RIGHTS', 0x8003],
    ['ZX_DEFAULT_BTI_RIGHTS', 0x80ef],
    ['ZX_DEFAULT_PROFILE_RIGHTS', 0x88003],
    ['ZX_DEFAULT_PMT_RIGHTS', 0x8000],
    ['ZX_DEFAULT_SUSPEND_TOKEN_RIGHTS', 0x8002],
    ['ZX_DEFAULT_PAGER_RIGHTS', 0x1808002],
    ['ZX_DEFAULT_EXCEPTION_RIGHTS', 0x80c2],
    ['ZX_DEFAULT_CLOCK_RIGHTS', 0xd0cf],
    ['ZX_DEFAULT_IOB_RIGHTS', 0xf0ef],
    ['ZX_DEFAULT_COUNTER_RIGHTS', 0xd00f],
    ['ZX_DEFAULT_IOB_SHARED_REGION_RIGHTS', 0xd0c3],
  ],

  // zircon/types.h: handles, clocks, koids, wait_many
  'types.h handles': [
    ['ZX_HANDLE_INVALID', 0],
    ['ZX_HANDLE_FIXED_BITS_MASK', 0x3],
    ['ZX_CLOCK_MONOTONIC', 0],
    ['ZX_CLOCK_BOOT', 1],
    ['ZX_KOID_INVALID', 0n],
    ['ZX_KOID_KERNEL', 1n],
    ['ZX_KOID_FIRST', 1024n],
    ['ZX_WAIT_MANY_MAX_ITEMS', 64],
    ['ZX_MAX_NAME_LEN', 32],
    ['ZX_HANDLE_OP_MOVE', 0],
    ['ZX_HANDLE_OP_DUPLICATE', 1],
  ],

  // zircon/types.h: signals
  'types.h signals': [
    ['ZX_SIGNAL_NONE', 0],
    ['ZX_USER_SIGNAL_ALL', 0xff000000],
    ['__ZX_OBJECT_SIGNAL_ALL', 0x00ffffff],
    ['__ZX_OBJECT_READABLE', 0x1],
    ['__ZX_OBJECT_WRITABLE', 0x2],
    ['__ZX_OBJECT_PEER_CLOSED', 0x4],
    ['__ZX_OBJECT_SIGNALED', 0x8],
    ['__ZX_OBJECT_SIGNAL_4', 0x10],
    ['__ZX_OBJECT_SIGNAL_5', 0x20],
    ['__ZX_OBJECT_SIGNAL_6', 0x40],
    ['__ZX_OBJECT_SIGNAL_7', 0x80],
    ['__ZX_OBJECT_SIGNAL_8', 0x100],
    ['__ZX_OBJECT_SIGNAL_9', 0x200],
    ['__ZX_OBJECT_SIGNAL_10', 0x400],
    ['__ZX_OBJECT_SIGNAL_11', 0x800],
    ['__ZX_OBJECT_SIGNAL_12', 0x1000],
    ['__ZX_OBJECT_SIGNAL_13', 0x2000],
    ['__ZX_OBJECT_SIGNAL_14', 0x4000],
    ['__ZX_OBJECT_SIGNAL_15', 0x8000],
    ['__ZX_OBJECT_SIGNAL_16', 0x10000],
    ['__ZX_OBJECT_SIGNAL_17', 0x20000],
    ['__ZX_OBJECT_SIGNAL_18', 0x40000],
    ['__ZX_OBJECT_SIGNAL_19', 0x80000],
    ['__ZX_OBJECT_SIGNAL_20', 0x100000],
    ['__ZX_OBJECT_SIGNAL_21', 0x200000],
    ['__ZX_OBJECT_SIGNAL_22', 0x400000],
    ['__ZX_OBJECT_HANDLE_CLOSED', 0x800000],
    ['ZX_USER_SIGNAL_0', 0x1000000],
    ['ZX_USER_SIGNAL_1', 0x2000000],
    ['ZX_USER_SIGNAL_2', 0x4000000],
    ['ZX_USER_SIGNAL_3', 0x8000000],
    ['ZX_USER_SIGNAL_4', 0x10000000],
    ['ZX_USER_SIGNAL_5', 0x20000000],
    ['ZX_USER_SIGNAL_6', 0x40000000],
    ['ZX_USER_SIGNAL_7', 0x80000000],
    ['ZX_SIGNAL_HANDLE_CLOSED', 0x800000],
    ['ZX_EVENT_SIGNALED', 0x8],
    ['ZX_EVENT_SIGNAL_MASK', 0xff000008],
    ['ZX_EVENTPAIR_SIGNALED', 0x8],
    ['ZX_EVENTPAIR_PEER_CLOSED', 0x4],
    ['ZX_EVENTPAIR_SIGNAL_MASK', 0xff00000c],
    ['ZX_CHANNEL_READABLE', 0x1],
    ['ZX_CHANNEL_WRITABLE', 0x2],
    ['ZX_CHANNEL_PEER_CLOSED', 0x4],
    ['ZX_CLOCK_STARTED', 0x10],
    ['ZX_CLOCK_UPDATED', 0x20],
    ['ZX_SOCKET_READABLE', 0x1],
    ['ZX_SOCKET_WRITABLE', 0x2],
    ['ZX_SOCKET_PEER_CLOSED', 0x4],
    ['ZX_SOCKET_PEER_WRITE_DISABLED', 0x10],
    ['ZX_SOCKET_WRITE_DISABLED', 0x20],
    ['ZX_SOCKET_READ_THRESHOLD', 0x400],
    ['ZX_SOCKET_WRITE_THRESHOLD', 0x800],
    ['ZX_FIFO_READABLE', 0x1],
    ['ZX_FIFO_WRITABLE', 0x2],
    ['ZX_FIFO_PEER_CLOSED', 0x4],
    ['ZX_TASK_TERMINATED', 0x8],
    ['ZX_JOB_TERMINATED', 0x8],
    ['ZX_JOB_NO_JOBS', 0x10],
    ['ZX_JOB_NO_PROCESSES', 0x20],
    ['ZX_PROCESS_TERMINATED', 0x8],
    ['ZX_THREAD_TERMINATED', 0x8],
    ['ZX_THREAD_RUNNING', 0x10],
    ['ZX_THREAD_SUSPENDED', 0x20],
    ['ZX_LOG_READABLE', 0x1],
    ['ZX_LOG_WRITABLE', 0x2],
    ['ZX_TIMER_SIGNALED', 0x8],
    ['ZX_VMO_ZERO_CHILDREN', 0x8],
    ['ZX_IOB_PEER_CLOSED', 0x4],
    ['ZX_COUNTER_SIGNALED', 0x8],
    ['ZX_COUNTER_POSITIVE', 0x10],
    ['ZX_COUNTER_NON_POSITIVE', 0x20],
    ['ZX_VIRTUAL_INTERRUPT_UNTRIGGERED', 0x10],
  ],

  // zircon/types.h: VMO creation options, VMO / VMAR / pager opcodes, child options
  'types.h vmo': [
    ['ZX_VMO_RESIZABLE', 0x2],
    ['ZX_VMO_DISCARDABLE', 0x4],
    ['ZX_VMO_TRAP_DIRTY', 0x8],
    ['ZX_VMO_UNBOUNDED', 0x10],
    ['ZX_VMO_OP_COMMIT', 1],
    ['ZX_VMO_OP_DECOMMIT', 2],
    ['ZX_VMO_OP_LOCK', 3],
    ['ZX_VMO_OP_UNLOCK', 4],
    ['ZX_VMO_OP_CACHE_SYNC', 6],
    ['ZX_VMO_OP_CACHE_INVALIDATE', 7],
    ['ZX_VMO_OP_CACHE_CLEAN', 8],
    ['ZX_VMO_OP_CACHE_CLEAN_INVALIDATE', 9],
    ['ZX_VMO_OP_ZERO', 10],
    ['ZX_VMO_OP_TRY_LOCK', 11],
    ['ZX_VMO_OP_DONT_NEED', 12],
    ['ZX_VMO_OP_ALWAYS_NEED', 13],
    ['ZX_VMO_OP_PREFETCH', 14],
    ['ZX_VMAR_OP_COMMIT', 1],
    ['ZX_VMAR_OP_DECOMMIT', 2],
    ['ZX_VMAR_OP_MAP_RANGE', 3],
    ['ZX_VMAR_OP_ZERO', 10],
    ['ZX_VMAR_OP_DONT_NEED', 12],
    ['ZX_VMAR_OP_ALWAYS_NEED', 13],
    ['ZX_VMAR_OP_PREFETCH', 14],
    ['ZX_PAGER_OP_FAIL', 1],
    ['ZX_PAGER_OP_DIRTY', 2],
    ['ZX_PAGER_OP_WRITEBACK_BEGIN', 3],
    ['ZX_PAGER_OP_WRITEBACK_END', 4],
    ['ZX_PAGER_VMO_STATS_MODIFIED', 1],
    ['ZX_PAGER_RESET_VMO_STATS', 1],
    ['ZX_VMO_CHILD_SNAPSHOT', 0x1],
    ['ZX_VMO_CHILD_SNAPSHOT_AT_LEAST_ON_WRITE', 0x10],
    ['ZX_VMO_CHILD_RESIZABLE', 0x4],
    ['ZX_VMO_CHILD_SLICE', 0x8],
    ['ZX_VMO_CHILD_NO_WRITE', 0x20],
    ['ZX_VMO_CHILD_REFERENCE', 0x40],
    ['ZX_VMO_CHILD_SNAPSHOT_MODIFIED', 0x80],
  ],

  // zircon/types.h as of the 2021 tree: legacy clone aliases, all equal to 1u << 4
  'types.h legacy child aliases': [
    ['ZX_VMO_CLONE_COPY_ON_WRITE', 0x10],
    ['ZX_VMO_CHILD_COPY_ON_WRITE', 0x10],
    ['ZX_VMO_CHILD_PRIVATE_PAGER_COPY', 0x10],
  ],

  // zircon/types.h: mapping options
  'types.h vm options': [
    ['ZX_VM_PERM_READ', 0x1],
    ['ZX_VM_PERM_WRITE', 0x2],
    ['ZX_VM_PERM_EXECUTE', 0x4],
    ['ZX_VM_COMPACT', 0x8],
    ['ZX_VM_SPECIFIC', 0x10],
    ['ZX_VM_SPECIFIC_OVERWRITE', 0x20],
    ['ZX_VM_CAN_MAP_SPECIFIC', 0x40],
    ['ZX_VM_CAN_MAP_READ', 0x80],
    ['ZX_VM_CAN_MAP_WRITE', 0x100],
    ['ZX_VM_CAN_MAP_EXECUTE', 0x200],
    ['ZX_VM_MAP_RANGE', 0x400],
    ['ZX_VM_REQUIRE_NON_RESIZABLE', 0x800],
    ['ZX_VM_ALLOW_FAULTS', 0x1000],
    ['ZX_VM_OFFSET_IS_UPPER_LIMIT', 0x2000],
    ['ZX_VM_PERM_READ_IF_XOM_UNSUPPORTED', 0x4000],
    ['ZX_VM_FAULT_BEYOND_STREAM_SIZE', 0x8000],
    ['ZX_VM_ALIGN_BASE', 24],
    ['ZX_VM_ALIGN_1KB', 10 * 2 ** 24],
    ['ZX_VM_ALIGN_2KB', 11 * 2 ** 24],
    ['ZX_VM_ALIGN_4KB', 12 * 2 ** 24],
    ['ZX_VM_ALIGN_8KB', 13 * 2 ** 24],
    ['ZX_VM_ALIGN_16KB', 14 * 2 ** 24],
    ['ZX_VM_ALIGN_32KB', 15 * 2 ** 24],
    ['ZX_VM_ALIGN_64KB', 16 * 2 ** 24],
    ['ZX_VM_ALIGN_128KB', 17 * 2 ** 24],
    ['ZX_VM_ALIGN_256KB', 18 * 2 ** 24],
    ['ZX_VM_ALIGN_512KB', 19 * 2 ** 24],
    ['ZX_VM_ALIGN_1MB', 20 * 2 ** 24],
    ['ZX_VM_ALIGN_2MB', 21 * 2 ** 24],
    ['ZX_VM_ALIGN_4MB', 22 * 2 ** 24],
    ['ZX_VM_ALIGN_8MB', 23 * 2 ** 24],
    ['ZX_VM_ALIGN_16MB', 24 * 2 ** 24],
    ['ZX_VM_ALIGN_32MB', 25 * 2 ** 24],
    ['ZX_VM_ALIGN_64MB', 26 * 2 ** 24],
    ['ZX_VM_ALIGN_128MB', 27 * 2 ** 24],
    ['ZX_VM_ALIGN_256MB', 28 * 2 ** 24],
    ['ZX_VM_ALIGN_512MB', 29 * 2 ** 24],
    ['ZX_VM_ALIGN_1GB', 30 * 2 ** 24],
    ['ZX_VM_ALIGN_2GB', 31 * 2 ** 24],
    ['ZX_VM_ALIGN_4GB', 32 * 2 ** 24],
    ['ZX_VM_FLAG_PERM_READ', 0x1],
    ['ZX_VM_FLAG_PERM_WRITE', 0x2],
    ['ZX_VM_FLAG_PERM_EXECUTE', 0x4],
    ['ZX_VM_FLAG_COMPACT', 0x8],
    ['ZX_VM_FLAG_SPECIFIC', 0x10],
    ['ZX_VM_FLAG_SPECIFIC_OVERWRITE', 0x20],
    ['ZX_VM_FLAG_CAN_MAP_SPECIFIC', 0x40],
    ['ZX_VM_FLAG_CAN_MAP_READ', 0x80],
    ['ZX_VM_FLAG_CAN_MAP_WRITE', 0x100],
    ['ZX_VM_FLAG_CAN_MAP_EXECUTE', 0x200],
    ['ZX_VM_FLAG_MAP_RANGE', 0x400],
    ['ZX_VM_FLAG_REQUIRE_NON_RESIZABLE', 0x800],
  ],

  // zircon/types.h: streams, cache policy, cache flush, BTI, job, process
  'types.h misc options': [
    ['ZX_STREAM_MODE_READ', 0x1],
    ['ZX_STREAM_MODE_WRITE', 0x2],
    ['ZX_STREAM_MODE_APPEND', 0x4],
    ['ZX_STREAM_CREATE_MASK', 0x7],
    ['ZX_STREAM_APPEND', 0x1],
    ['ZX_STREAM_SEEK_ORIGIN_START', 0],
    ['ZX_STREAM_SEEK_ORIGIN_CURRENT', 1],
    ['ZX_STREAM_SEEK_ORIGIN_END', 2],
    ['ZX_CACHE_POLICY_CACHED', 0],
    ['ZX_CACHE_POLICY_UNCACHED', 1],
    ['ZX_CACHE_POLICY_UNCACHED_DEVICE', 2],
    ['ZX_CACHE_POLICY_WRITE_COMBINING', 3],
    ['ZX_CACHE_POLICY_MASK', 3],
    ['ZX_CACHE_FLUSH_INSN', 0x1],
    ['ZX_CACHE_FLUSH_DATA', 0x2],
    ['ZX_CACHE_FLUSH_INVALIDATE', 0x4],
    ['ZX_BTI_PERM_READ', 0x1],
    ['ZX_BTI_PERM_WRITE', 0x2],
    ['ZX_BTI_PERM_EXECUTE', 0x4],
    ['ZX_BTI_COMPRESS', 0x8],
    ['ZX_BTI_CONTIGUOUS', 0x10],
    ['ZX_JOB_CRITICAL_PROCESS_RETCODE_NONZERO', 0x1],
    ['ZX_PROCESS_SHARED', 0x1],
  ],

  // zircon/types.h: object types, system events, memory stall kinds
  'types.h object types': [
    ['ZX_OBJ_TYPE_NONE', 0],
    ['ZX_OBJ_TYPE_PROCESS', 1],
    ['ZX_OBJ_TYPE_THREAD', 2],
    ['ZX_OBJ_TYPE_VMO', 3],
    ['ZX_OBJ_TYPE_CHANNEL', 4],
    ['ZX_OBJ_TYPE_EVENT', 5],
    ['ZX_OBJ_TYPE_PORT', 6],
    ['ZX_OBJ_TYPE_INTERRUPT', 9],
    ['ZX_OBJ_TYPE_PCI_DEVICE', 11],
    ['ZX_OBJ_TYPE_DEBUGLOG', 12],
    ['ZX_OBJ_TYPE_LOG', 12],
    ['ZX_OBJ_TYPE_SOCKET', 14],
    ['ZX_OBJ_TYPE_RESOURCE', 15],
    ['ZX_OBJ_TYPE_EVENTPAIR', 16],
    ['ZX_OBJ_TYPE_JOB', 17],
    ['ZX_OBJ_TYPE_VMAR', 18],
    ['ZX_OBJ_TYPE_FIFO', 19],
    ['ZX_OBJ_TYPE_GUEST', 20],
    ['ZX_OBJ_TYPE_VCPU', 21],
    ['ZX_OBJ_TYPE_TIMER', 22],
    ['ZX_OBJ_TYPE_IOMMU', 23],
    ['ZX_OBJ_TYPE_BTI', 24],
    ['ZX_OBJ_TYPE_PROFILE', 25],
    ['ZX_OBJ_TYPE_PMT', 26],
    ['ZX_OBJ_TYPE_SUSPEND_TOKEN', 27],
    ['ZX_OBJ_TYPE_PAGER', 28],
    ['ZX_OBJ_TYPE_EXCEPTION', 29],
    ['ZX_OBJ_TYPE_CLOCK', 30],
    ['ZX_OBJ_TYPE_STREAM', 31],
    ['ZX_OBJ_TYPE_MSI', 32],
    ['ZX_OBJ_TYPE_IOB', 33],
    ['ZX_OBJ_TYPE_COUNTER', 34],
    ['ZX_OBJ_TYPE_IOB_SHARED_REGION', 35],
    ['ZX_OBJ_TYPE_SAMPLER', 36],
    ['ZX_OBJ_TYPE_UPPER_BOUND', 64],
    ['ZX_SYSTEM_EVENT_OUT_OF_MEMORY', 1],
    ['ZX_SYSTEM_EVENT_MEMORY_PRESSURE_CRITICAL', 2],
    ['ZX_SYSTEM_EVENT_MEMORY_PRESSURE_WARNING', 3],
    ['ZX_SYSTEM_EVENT_MEMORY_PRESSURE_NORMAL', 4],
    ['ZX_SYSTEM_EVENT_IMMINENT_OUT_OF_MEMORY', 5],
    ['ZX_SYSTEM_MEMORY_STALL_SOME', 0],
    ['ZX_SYSTEM_MEMORY_STALL_FULL', 1],
  ],

  // zircon/time.h (INT64_MAX and INT64_MIN)
  'time.h': [
    ['ZX_TIME_INFINITE', 0x7fffffffffffffffn],
    ['ZX_TIME_INFINITE_PAST', -0x8000000000000000n],
  ],

  // zircon/limits.h (2025: min/max, x86-64 maximum) and the older fixed ZX_PAGE_* definitions
  'limits.h': [
    ['ZX_MIN_PAGE_SHIFT', 12],
    ['ZX_MAX_PAGE_SHIFT', 21],
    ['ZX_MIN_PAGE_SIZE', 4096],
    ['ZX_MAX_PAGE_SIZE', 2097152],
    ['ZX_PAGE_SHIFT', 12],
    ['ZX_PAGE_SIZE', 4096],
    ['ZX_PAGE_MASK', 4095],
  ],

  // zircon/syscalls/object.h: info topics (versioned ones are t | v << 28)
  'syscalls/object.h topics': [
    ['ZX_INFO_NONE', 0],
    ['ZX_INFO_HANDLE_VALID', 1],
    ['ZX_INFO_HANDLE_BASIC', 2],
    ['ZX_INFO_PROCESS', 0x10000003],
    ['ZX_INFO_PROCESS_THREADS', 4],
    ['ZX_INFO_VMAR', 7],
    ['ZX_INFO_JOB_CHILDREN', 8],
    ['ZX_INFO_JOB_PROCESSES', 9],
    ['ZX_INFO_THREAD', 10],
    ['ZX_INFO_THREAD_EXCEPTION_REPORT_V1', 11],
    ['ZX_INFO_THREAD_EXCEPTION_REPORT', 0x1000000b],
    ['ZX_INFO_TASK_STATS_V1', 12],
    ['ZX_INFO_TASK_STATS', 0x1000000c],
    ['ZX_INFO_PROCESS_MAPS_V1', 13],
    ['ZX_INFO_PROCESS_MAPS_V2', 0x1000000d],
    ['ZX_INFO_PROCESS_MAPS', 0x2000000d],
    ['ZX_INFO_PROCESS_VMOS_V1', 14],
    ['ZX_INFO_PROCESS_VMOS_V2', 0x1000000e],
    ['ZX_INFO_PROCESS_VMOS_V3', 0x2000000e],
    ['ZX_INFO_PROCESS_VMOS', 0x3000000e],
    ['ZX_INFO_THREAD_STATS', 15],
    ['ZX_INFO_CPU_STATS', 16],
    ['ZX_INFO_KMEM_STATS', 0x10000011],
    ['ZX_INFO_KMEM_STATS_V1', 17],
    ['ZX_INFO_RESOURCE', 18],
    ['ZX_INFO_HANDLE_COUNT', 19],
    ['ZX_INFO_BTI', 20],
    ['ZX_INFO_PROCESS_HANDLE_STATS', 21],
    ['ZX_INFO_SOCKET', 22],
    ['ZX_INFO_VMO_V1', 23],
    ['ZX_INFO_VMO_V2', 0x10000017],
    ['ZX_INFO_VMO_V3', 0x20000017],
    ['ZX_INFO_VMO', 0x30000017],
    ['ZX_INFO_JOB', 24],
    ['ZX_INFO_TIMER', 25],
    ['ZX_INFO_STREAM', 26],
    ['ZX_INFO_HANDLE_TABLE', 27],
    ['ZX_INFO_MSI', 28],
    ['ZX_INFO_GUEST_STATS', 29],
    ['ZX_INFO_TASK_RUNTIME_V1', 30],
    ['ZX_INFO_TASK_RUNTIME', 0x1000001e],
    ['ZX_INFO_KMEM_STATS_EXTENDED', 31],
    ['ZX_INFO_VCPU', 32],
    ['ZX_INFO_KMEM_STATS_COMPRESSION', 33],
    ['ZX_INFO_IOB', 34],
    ['ZX_INFO_IOB_REGIONS', 35],
    ['ZX_INFO_VMAR_MAPS', 36],
    ['ZX_INFO_POWER_DOMAINS', 37],
    ['ZX_INFO_MEMORY_STALL', 38],
    ['ZX_INFO_INTERRUPT', 39],
    ['ZX_INFO_CLOCK_MAPPED_SIZE', 40],
  ],

  // zircon/syscalls/object.h: retcodes, info flags, properties, thread states, exceptions
  'syscalls/object.h values': [
    ['ZX_TASK_RETCODE_SYSCALL_KILL', -1024n],
    ['ZX_TASK_RETCODE_OOM_KILL', -1025n],
    ['ZX_TASK_RETCODE_POLICY_KILL', -1026n],
    ['ZX_TASK_RETCODE_VDSO_KILL', -1027n],
    ['ZX_TASK_RETCODE_EXCEPTION_KILL', -1028n],
    ['ZX_TASK_RETCODE_CRITICAL_PROCESS_KILL', -1029n],
    ['ZX_INFO_INVALID_CPU', 0xffffffff],
    ['ZX_INFO_PROCESS_FLAG_STARTED', 0x1],
    ['ZX_INFO_PROCESS_FLAG_EXITED', 0x2],
    ['ZX_INFO_PROCESS_FLAG_DEBUGGER_ATTACHED', 0x4],
    ['ZX_INFO_MAPS_TYPE_NONE', 0],
    ['ZX_INFO_MAPS_TYPE_ASPACE', 1],
    ['ZX_INFO_MAPS_TYPE_VMAR', 2],
    ['ZX_INFO_MAPS_TYPE_MAPPING', 3],
    ['ZX_INFO_VMO_TYPE_PAGED', 0x1],
    ['ZX_INFO_VMO_TYPE_PHYSICAL', 0],
    ['ZX_INFO_VMO_RESIZABLE', 0x2],
    ['ZX_INFO_VMO_IS_COW_CLONE', 0x4],
    ['ZX_INFO_VMO_VIA_HANDLE', 0x8],
    ['ZX_INFO_VMO_VIA_MAPPING', 0x10],
    ['ZX_INFO_VMO_PAGER_BACKED', 0x20],
    ['ZX_INFO_VMO_CONTIGUOUS', 0x40],
    ['ZX_INFO_VMO_DISCARDABLE', 0x80],
    ['ZX_INFO_VMO_IMMUTABLE', 0x100],
    ['ZX_INFO_VMO_VIA_IOB_HANDLE', 0x200],
    ['ZX_INFO_VCPU_FLAG_KICKED', 0x1],
    ['ZX_INFO_CPU_STATS_FLAG_ONLINE', 0x1],
    ['ZX_PROP_NAME', 3],
    ['ZX_PROP_REGISTER_GS', 2],
    ['ZX_PROP_REGISTER_FS', 4],
    ['ZX_PROP_PROCESS_DEBUG_ADDR', 5],
    ['ZX_PROP_PROCESS_VDSO_BASE_ADDRESS', 6],
    ['ZX_PROP_PROCESS_BREAK_ON_LOAD', 7],
    ['ZX_PROP_PROCESS_HW_TRACE_CONTEXT_ID', 8],
    ['ZX_PROP_SOCKET_RX_THRESHOLD', 12],
    ['ZX_PROP_SOCKET_TX_THRESHOLD', 13],
    ['ZX_PROP_JOB_KILL_ON_OOM', 15],
    ['ZX_PROP_EXCEPTION_STATE', 16],
    ['ZX_PROP_VMO_CONTENT_SIZE', 17],
    ['ZX_PROP_EXCEPTION_STRATEGY', 18],
    ['ZX_PROP_STREAM_MODE_APPEND', 19],
    ['ZX_THREAD_STATE_NEW', 0x0000],
    ['ZX_THREAD_STATE_RUNNING', 0x0001],
    ['ZX_THREAD_STATE_SUSPENDED', 0x0002],
    ['ZX_THREAD_STATE_BLOCKED', 0x0003],
    ['ZX_THREAD_STATE_DYING', 0x0004],
    ['ZX_THREAD_STATE_DEAD', 0x0005],
    ['ZX_THREAD_STATE_BLOCKED_EXCEPTION', 0x0103],
    ['ZX_THREAD_STATE_BLOCKED_SLEEPING', 0x0203],
    ['ZX_THREAD_STATE_BLOCKED_FUTEX', 0x0303],
    ['ZX_THREAD_STATE_BLOCKED_PORT', 0x0403],
    ['ZX_THREAD_STATE_BLOCKED_CHANNEL', 0x0503],
    ['ZX_THREAD_STATE_BLOCKED_WAIT_ONE', 0x0603],
    ['ZX_THREAD_STATE_BLOCKED_WAIT_MANY', 0x0703],
    ['ZX_THREAD_STATE_BLOCKED_INTERRUPT', 0x0803],
    ['ZX_THREAD_STATE_BLOCKED_PAGER', 0x0903],
    ['ZX_EXCEPTION_STATE_TRY_NEXT', 0],
    ['ZX_EXCEPTION_STATE_HANDLED', 1],
    ['ZX_EXCEPTION_STATE_THREAD_EXIT', 2],
    ['ZX_EXCEPTION_STRATEGY_FIRST_CHANCE', 0],
    ['ZX_EXCEPTION_STRATEGY_SECOND_CHANCE', 1],
  ],

  // zircon/syscalls/policy.h
  'syscalls/policy.h': [
    ['ZX_JOB_POL_RELATIVE', 0],
    ['ZX_JOB_POL_ABSOLUTE', 1],
    ['ZX_JOB_POL_BASIC_V1', 0],
    ['ZX_JOB_POL_BASIC_V2', 0x01000000],
    ['ZX_JOB_POL_BASIC', 0],
    ['ZX_JOB_POL_TIMER_SLACK', 1],
    ['ZX_POL_BAD_HANDLE', 0],
    ['ZX_POL_WRONG_OBJECT', 1],
    ['ZX_POL_VMAR_WX', 2],
    ['ZX_POL_NEW_ANY', 3],
    ['ZX_POL_NEW_VMO', 4],
    ['ZX_POL_NEW_CHANNEL', 5],
    ['ZX_POL_NEW_EVENT', 6],
    ['ZX_POL_NEW_EVENTPAIR', 7],
    ['ZX_POL_NEW_PORT', 8],
    ['ZX_POL_NEW_SOCKET', 9],
    ['ZX_POL_NEW_FIFO', 10],
    ['ZX_POL_NEW_TIMER', 11],
    ['ZX_POL_NEW_PROCESS', 12],
    ['ZX_POL_NEW_PROFILE', 13],
    ['ZX_POL_NEW_PAGER', 14],
    ['ZX_POL_AMBIENT_MARK_VMO_EXEC', 15],
    ['ZX_POL_NEW_IOB', 16],
    ['ZX_POL_NEW_SAMPLER', 17],
    ['ZX_POL_MAX', 18],
    ['ZX_POL_ACTION_ALLOW', 0],
    ['ZX_POL_ACTION_DENY', 1],
    ['ZX_POL_ACTION_ALLOW_EXCEPTION', 2],
    ['ZX_POL_ACTION_DENY_EXCEPTION', 3],
    ['ZX_POL_ACTION_KILL', 4],
    ['ZX_POL_ACTION_MAX', 5],
    ['ZX_POL_OVERRIDE_ALLOW', 0],
    ['ZX_POL_OVERRIDE_DENY', 1],
  ],

  // zircon/syscalls/resource.h
  'syscalls/resource.h': [
    ['ZX_RSRC_KIND_MMIO', 0],
    ['ZX_RSRC_KIND_IRQ', 1],
    ['ZX_RSRC_KIND_IOPORT', 2],
    ['ZX_RSRC_KIND_SMC', 4],
    ['ZX_RSRC_KIND_SYSTEM', 5],
    ['ZX_RSRC_KIND_COUNT', 6],
    ['ZX_RSRC_FLAG_EXCLUSIVE', 0x00010000],
    ['ZX_RSRC_FLAGS_MASK', 0x00010000],
    ['ZX_RSRC_SYSTEM_HYPERVISOR_BASE', 0n],
    ['ZX_RSRC_SYSTEM_VMEX_BASE', 1n],
    ['ZX_RSRC_SYSTEM_DEBUG_BASE', 2n],
    ['ZX_RSRC_SYSTEM_INFO_BASE', 3n],
    ['ZX_RSRC_SYSTEM_CPU_BASE', 4n],
    ['ZX_RSRC_SYSTEM_POWER_BASE', 5n],
    ['ZX_RSRC_SYSTEM_MEXEC_BASE', 6n],
    ['ZX_RSRC_SYSTEM_ENERGY_INFO_BASE', 7n],
    ['ZX_RSRC_SYSTEM_IOMMU_BASE', 8n],
    ['ZX_RSRC_SYSTEM_PROFILE_BASE', 10n],
    ['ZX_RSRC_SYSTEM_MSI_BASE', 11n],
    ['ZX_RSRC_SYSTEM_DEBUGLOG_BASE', 12n],
    ['ZX_RSRC_SYSTEM_STALL_BASE', 13n],
    ['ZX_RSRC_SYSTEM_TRACING_BASE', 14n],
    ['ZX_RSRC_SYSTEM_SAMPLING_BASE', 15n],
    ['ZX_RSRC_SYSTEM_COUNT', 16n],
  ],

  // zircon/syscalls/iommu.h
  'syscalls/iommu.h': [
    ['ZX_IOMMU_MAX_DESC_LEN', 4096],
    ['ZX_IOMMU_TYPE_STUB', 0],
    ['ZX_IOMMU_TYPE_DUMMY', 0],
    ['ZX_IOMMU_TYPE_INTEL', 1],
    ['ZX_IOMMU_TYPE_ARM_SMMU', 2],
    ['ZX_IOMMU_INTEL_SCOPE_ENDPOINT', 0],
    ['ZX_IOMMU_INTEL_SCOPE_BRIDGE', 1],
  ],

  // zircon/syscalls/port.h
  'syscalls/port.h': [
    ['ZX_WAIT_ASYNC_ONCE', 0],
    ['ZX_WAIT_ASYNC_TIMESTAMP', 1],
    ['ZX_WAIT_ASYNC_EDGE', 2],
    ['ZX_WAIT_ASYNC_BOOT_TIMESTAMP', 4],
    ['ZX_PKT_TYPE_USER', 0x00],
    ['ZX_PKT_TYPE_SIGNAL_ONE', 0x01],
    ['ZX_PKT_TYPE_GUEST_BELL', 0x03],
    ['ZX_PKT_TYPE_GUEST_MEM', 0x04],
    ['ZX_PKT_TYPE_GUEST_IO', 0x05],
    ['ZX_PKT_TYPE_GUEST_VCPU', 0x06],
    ['ZX_PKT_TYPE_INTERRUPT', 0x07],
    ['ZX_PKT_TYPE_PAGE_REQUEST', 0x09],
    ['ZX_PORT_BIND_TO_INTERRUPT', 0x1],
    ['ZX_PKT_GUEST_VCPU_INTERRUPT', 0],
    ['ZX_PKT_GUEST_VCPU_STARTUP', 1],
    ['ZX_PAGER_VMO_READ', 0],
    ['ZX_PAGER_VMO_COMPLETE', 1],
    ['ZX_PAGER_VMO_DIRTY', 2],
  ],

  // zircon/syscalls-next.h
  'syscalls-next.h': [
    ['ZX_PKT_TYPE_PROCESSOR_POWER_LEVEL_TRANSITION_REQUEST', 0x0a],
    ['ZX_VMO_DIRTY_RANGE_IS_ZERO', 1n],
  ],

  // zircon/features.h (architecture-neutral part)
  'features.h': [
    ['ZX_FEATURE_KIND_CPU', 0],
    ['ZX_FEATURE_KIND_HW_BREAKPOINT_COUNT', 1],
    ['ZX_FEATURE_KIND_HW_WATCHPOINT_COUNT', 2],
    ['ZX_FEATURE_KIND_ADDRESS_TAGGING', 3],
    ['ZX_FEATURE_KIND_VM', 4],
    ['ZX_HAS_CPU_FEATURES', 0x1],
    ['ZX_VM_FEATURE_CAN_MAP_XOM', 0x1],
  ],
  // zircon/types.h (channels), zircon/syscalls/exception.h, zircon/syscalls/object.h (cpu sets)
  'channels, exceptions, cpu sets': [
    ['ZX_CHANNEL_READ_MAY_DISCARD', 0x1],
    ['ZX_CHANNEL_WRITE_USE_IOVEC', 0x2],
    ['ZX_CHANNEL_MAX_MSG_BYTES', 65536],
    ['ZX_CHANNEL_MAX_MSG_HANDLES', 64],
    ['ZX_CHANNEL_MAX_MSG_IOVEC', 8192],
    ['ZX_EXCEPTION_CHANNEL_TYPE_NONE', 0],
    ['ZX_EXCEPTION_CHANNEL_TYPE_DEBUGGER', 1],
    ['ZX_EXCEPTION_CHANNEL_TYPE_THREAD', 2],
    ['ZX_EXCEPTION_CHANNEL_TYPE_PROCESS', 3],
    ['ZX_EXCEPTION_CHANNEL_TYPE_JOB', 4],
    ['ZX_EXCEPTION_CHANNEL_TYPE_JOB_DEBUGGER', 5],
    ['ZX_CPU_SET_MAX_CPUS', 512],
    ['ZX_CPU_SET_BITS_PER_WORD', 64],
  ],
};

const ALL_ROWS: readonly Row[] = Object.values(GROUPS).flat();
const exported = C as unknown as Record<string, unknown>;

// Constants whose C type is signed; every other 32-bit constant is unsigned.
const SIGNED_GROUPS = new Set(['errors.h']);

describe('constants match the Zircon headers', () => {
  for (const [group, rows] of Object.entries(GROUPS)) {
    it(group, () => {
      for (const [name, value] of rows) {
        assert.ok(name in exported, `${name} is not exported`);
        assert.equal(exported[name], value, name);
      }
    });
  }

  it('every exported constant appears in the transcribed table exactly once', () => {
    const names = ALL_ROWS.map(([name]) => name);
    assert.equal(new Set(names).size, names.length, 'duplicate rows in the table');
    const tabled = new Set(names);
    const untested = Object.keys(exported).filter((k) => k !== 'ZX_STATUS_NAMES' && !tabled.has(k));
    assert.deepEqual(untested, []);
  });

  it('32-bit values are numbers in range, unsigned ones non-negative', () => {
    for (const [group, rows] of Object.entries(GROUPS)) {
      for (const [name] of rows) {
        const v = exported[name];
        if (typeof v === 'bigint') continue;
        assert.equal(typeof v, 'number', name);
        const n = v as number;
        assert.ok(Number.isInteger(n), name);
        if (SIGNED_GROUPS.has(group)) assert.ok(n >= -0x80000000 && n <= 0x7fffffff, name);
        else assert.ok(n >= 0 && n <= 0xffffffff, name);
      }
    }
  });

  it('64-bit values are bigints', () => {
    const sixtyFour = [
      'ZX_TIME_INFINITE',
      'ZX_TIME_INFINITE_PAST',
      'ZX_KOID_INVALID',
      'ZX_KOID_KERNEL',
      'ZX_KOID_FIRST',
      'ZX_TASK_RETCODE_SYSCALL_KILL',
      'ZX_RSRC_SYSTEM_VMEX_BASE',
      'ZX_RSRC_SYSTEM_COUNT',
      'ZX_VMO_DIRTY_RANGE_IS_ZERO',
    ];
    for (const name of sixtyFour) assert.equal(typeof exported[name], 'bigint', name);
    assert.equal(C.ZX_TIME_INFINITE, 2n ** 63n - 1n);
    assert.equal(C.ZX_TIME_INFINITE_PAST, -(2n ** 63n));
  });
});

describe('composite constants follow the header expressions', () => {
  it('rights groups and defaults', () => {
    const basic = C.ZX_RIGHT_TRANSFER | C.ZX_RIGHT_DUPLICATE | C.ZX_RIGHT_WAIT | C.ZX_RIGHT_INSPECT;
    const io = C.ZX_RIGHT_READ | C.ZX_RIGHT_WRITE;
    const prop = C.ZX_RIGHT_GET_PROPERTY | C.ZX_RIGHT_SET_PROPERTY;
    const pol = C.ZX_RIGHT_GET_POLICY | C.ZX_RIGHT_SET_POLICY;
    const basicNoWait = basic & ~C.ZX_RIGHT_WAIT;
    assert.equal(C.ZX_RIGHTS_BASIC, basic);
    assert.equal(C.ZX_RIGHTS_IO, io);
    assert.equal(C.ZX_RIGHTS_PROPERTY, prop);
    assert.equal(C.ZX_RIGHTS_POLICY, pol);
    assert.equal(C.ZX_DEFAULT_VMO_RIGHTS, basic | io | prop | C.ZX_RIGHT_MAP | C.ZX_RIGHT_SIGNAL);
    assert.equal(C.ZX_DEFAULT_VMAR_RIGHTS, basicNoWait | C.ZX_RIGHT_OP_CHILDREN);
    assert.equal(
      C.ZX_DEFAULT_PROCESS_RIGHTS,
      basic |
        io |
        prop |
        C.ZX_RIGHT_ENUMERATE |
        C.ZX_RIGHT_DESTROY |
        C.ZX_RIGHT_SIGNAL |
        C.ZX_RIGHT_MANAGE_PROCESS |
        C.ZX_RIGHT_MANAGE_THREAD,
    );
    assert.equal(
      C.ZX_DEFAULT_JOB_RIGHTS,
      basic |
        io |
        prop |
        pol |
        C.ZX_RIGHT_ENUMERATE |
        C.ZX_RIGHT_DESTROY |
        C.ZX_RIGHT_SIGNAL |
        C.ZX_RIGHT_MANAGE_JOB |
        C.ZX_RIGHT_MANAGE_PROCESS |
        C.ZX_RIGHT_MANAGE_THREAD,
    );
    assert.equal(
      C.ZX_DEFAULT_THREAD_RIGHTS,
      basic | io | prop | C.ZX_RIGHT_DESTROY | C.ZX_RIGHT_SIGNAL | C.ZX_RIGHT_MANAGE_THREAD,
    );
    assert.equal(
      C.ZX_DEFAULT_RESOURCE_RIGHTS,
      C.ZX_RIGHT_TRANSFER | C.ZX_RIGHT_DUPLICATE | C.ZX_RIGHT_WRITE | C.ZX_RIGHT_INSPECT,
    );
    assert.equal(C.ZX_DEFAULT_BTI_RIGHTS, basicNoWait | io | prop | C.ZX_RIGHT_MAP);
    assert.equal(C.ZX_DEFAULT_IOMMU_RIGHTS, basicNoWait);
    assert.equal(C.ZX_DEFAULT_PMT_RIGHTS, C.ZX_RIGHT_INSPECT);
    assert.equal(C.ZX_DEFAULT_PORT_RIGHTS, basicNoWait | io);
    assert.equal(
      C.ZX_DEFAULT_PAGER_RIGHTS,
      C.ZX_RIGHT_INSPECT | C.ZX_RIGHT_TRANSFER | C.ZX_RIGHT_ATTACH_VMO | C.ZX_RIGHT_MANAGE_VMO,
    );
    assert.equal(C.ZX_DEFAULT_EVENT_RIGHTS, basic | C.ZX_RIGHT_SIGNAL);
    assert.equal(
      C.ZX_DEFAULT_CHANNEL_RIGHTS,
      (basic & ~C.ZX_RIGHT_DUPLICATE) | io | C.ZX_RIGHT_SIGNAL | C.ZX_RIGHT_SIGNAL_PEER,
    );
  });

  it('versioned info topics are topic | version << 28', () => {
    const topic = (t: number, v: number) => t + v * 2 ** 28;
    assert.equal(C.ZX_INFO_VMO_V1, topic(23, 0));
    assert.equal(C.ZX_INFO_VMO_V2, topic(23, 1));
    assert.equal(C.ZX_INFO_VMO_V3, topic(23, 2));
    assert.equal(C.ZX_INFO_VMO, topic(23, 3));
    assert.equal(C.ZX_INFO_PROCESS_VMOS_V1, topic(14, 0));
    assert.equal(C.ZX_INFO_PROCESS_VMOS, topic(14, 3));
    assert.equal(C.ZX_INFO_PROCESS_MAPS, topic(13, 2));
    assert.equal(C.ZX_INFO_KMEM_STATS_V1, topic(17, 0));
    assert.equal(C.ZX_INFO_KMEM_STATS, topic(17, 1));
    assert.equal(C.ZX_INFO_PROCESS, topic(3, 1));
    assert.equal(C.ZX_INFO_TASK_RUNTIME, topic(30, 1));
  });

  it('alignment options are log2(alignment) << ZX_VM_ALIGN_BASE', () => {
    assert.equal(C.ZX_VM_ALIGN_4KB, Math.log2(4096) * 2 ** C.ZX_VM_ALIGN_BASE);
    assert.equal(C.ZX_VM_ALIGN_4GB, 32 * 2 ** C.ZX_VM_ALIGN_BASE);
  });

  it('signal masks', () => {
    assert.equal(C.ZX_USER_SIGNAL_ALL + C.__ZX_OBJECT_SIGNAL_ALL, 0xffffffff);
    let users = 0;
    for (let i = 0; i < 8; i++) users += exported[`ZX_USER_SIGNAL_${i}`] as number;
    assert.equal(users, C.ZX_USER_SIGNAL_ALL);
    assert.equal(C.ZX_EVENT_SIGNAL_MASK, C.ZX_USER_SIGNAL_ALL + C.__ZX_OBJECT_SIGNALED);
  });
});

describe('ZX_STATUS_NAMES', () => {
  it('names every status code and nothing else', () => {
    const statusRows = GROUPS['errors.h'] as readonly Row[];
    assert.equal(Object.keys(C.ZX_STATUS_NAMES).length, statusRows.length);
    for (const [name, value] of statusRows) {
      assert.equal(C.ZX_STATUS_NAMES[value as number], name);
    }
  });

  it('has no entry for an undefined status', () => {
    assert.equal(C.ZX_STATUS_NAMES[-5], undefined);
    assert.equal(C.ZX_STATUS_NAMES[1], undefined);
  });
});
