// Zircon ABI constants for threads, channels and exceptions (types.h, syscalls/exception.h,
// syscalls/object.h). Same conventions as constants.ts, which re-exports this module.

// types.h: zx_channel_read() and zx_channel_write() options
export const ZX_CHANNEL_READ_MAY_DISCARD = 0x1;
export const ZX_CHANNEL_WRITE_USE_IOVEC = 0x2;

// types.h: limits of one channel message
export const ZX_CHANNEL_MAX_MSG_BYTES = 65536;
export const ZX_CHANNEL_MAX_MSG_HANDLES = 64;
export const ZX_CHANNEL_MAX_MSG_IOVEC = 8192;

// syscalls/exception.h: exception channel types (zx_info_thread_t.wait_exception_channel_type)
export const ZX_EXCEPTION_CHANNEL_TYPE_NONE = 0;
export const ZX_EXCEPTION_CHANNEL_TYPE_DEBUGGER = 1;
export const ZX_EXCEPTION_CHANNEL_TYPE_THREAD = 2;
export const ZX_EXCEPTION_CHANNEL_TYPE_PROCESS = 3;
export const ZX_EXCEPTION_CHANNEL_TYPE_JOB = 4;
export const ZX_EXCEPTION_CHANNEL_TYPE_JOB_DEBUGGER = 5;

// syscalls/object.h: zx_cpu_set_t (zx_info_thread_t.cpu_affinity_mask)
export const ZX_CPU_SET_MAX_CPUS = 512;
export const ZX_CPU_SET_BITS_PER_WORD = 64;
