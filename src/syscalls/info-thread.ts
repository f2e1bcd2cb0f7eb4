// ZX_INFO_THREAD: the record zx_object_get_info gives for a thread (zx_info_thread_t).

import { ZX_EXCEPTION_CHANNEL_TYPE_NONE } from '../abi/constants.ts';
import { encodeZxInfoThread, ZX_INFO_THREAD_SIZE } from '../abi/structs-ipc.ts';
import type { ThreadDispatcher } from '../object/thread-dispatcher.ts';

/**
 * The thread's state, no exception channel (zxvm raises no exceptions), and its CPU affinity:
 * zxvm runs everything on one CPU, so a live thread may run on CPU 0; a dead one reports an
 * empty mask, as Zircon does once the thread is gone.
 */
export function encodeThreadInfo(thread: ThreadDispatcher): Uint8Array {
  const bytes = new Uint8Array(ZX_INFO_THREAD_SIZE);
  const mask = Array.from({ length: 8 }, (_, i) => (i === 0 && !thread.isDead ? 1n : 0n));
  encodeZxInfoThread(new DataView(bytes.buffer), 0, {
    state: thread.state,
    wait_exception_channel_type: ZX_EXCEPTION_CHANNEL_TYPE_NONE,
    cpu_affinity_mask: mask,
  });
  return bytes;
}
