// Vmo: the idiomatic handle to a VMO. Each method wraps one syscall and throws ZxError on
// failure; sizes and offsets are numbers or bigints, returned sizes are bigints.

import {
  ZX_ERR_UNAVAILABLE,
  ZX_INFO_VMO,
  ZX_MAX_NAME_LEN,
  ZX_PROP_NAME,
  ZX_PROP_VMO_CONTENT_SIZE,
  ZX_RIGHT_SAME_RIGHTS,
  ZX_VMO_OP_COMMIT,
  ZX_VMO_OP_DECOMMIT,
  ZX_VMO_OP_LOCK,
  ZX_VMO_OP_TRY_LOCK,
  ZX_VMO_OP_UNLOCK,
  ZX_VMO_OP_ZERO,
} from '../abi/constants.ts';
import {
  decodeZxInfoVmo,
  decodeZxVmoLockState,
  ZX_INFO_VMO_SIZE,
  ZX_VMO_LOCK_STATE_SIZE,
  type ZxInfoVmo,
  type ZxVmoLockState,
} from '../abi/structs.ts';
import type { Process } from '../process.ts';
import { check } from './error.ts';
import { Handle } from './handle.ts';

type Size = number | bigint;

export class Vmo extends Handle {
  /** zx_vmo_create */
  static create(process: Process, size: Size, options = 0): Vmo {
    const out = { value: 0 };
    const status = process.explained.zx_vmo_create(size, options, out);
    check(status, 'zx_vmo_create', process.explainedReason);
    return new Vmo(process, out.value);
  }

  /** zx_vmo_read: `length` bytes at `offset`. */
  read(offset: Size, length: number): Uint8Array {
    const bytes = new Uint8Array(length);
    this.check(this.sys.zx_vmo_read(this.raw, bytes, offset, length), 'zx_vmo_read');
    return bytes;
  }

  /** zx_vmo_read into an existing buffer. */
  readInto(buffer: Uint8Array, offset: Size): void {
    this.check(this.sys.zx_vmo_read(this.raw, buffer, offset, buffer.length), 'zx_vmo_read');
  }

  /** zx_vmo_write */
  write(data: Uint8Array, offset: Size): void {
    this.check(this.sys.zx_vmo_write(this.raw, data, offset, data.length), 'zx_vmo_write');
  }

  /** zx_vmo_get_size */
  getSize(): bigint {
    const out = { value: 0n };
    this.check(this.sys.zx_vmo_get_size(this.raw, out), 'zx_vmo_get_size');
    return out.value;
  }

  /** zx_vmo_set_size */
  setSize(size: Size): void {
    this.check(this.sys.zx_vmo_set_size(this.raw, size), 'zx_vmo_set_size');
  }

  /** zx_vmo_get_stream_size */
  getStreamSize(): bigint {
    const out = { value: 0n };
    this.check(this.sys.zx_vmo_get_stream_size(this.raw, out), 'zx_vmo_get_stream_size');
    return out.value;
  }

  /** zx_vmo_set_stream_size */
  setStreamSize(size: Size): void {
    this.check(this.sys.zx_vmo_set_stream_size(this.raw, size), 'zx_vmo_set_stream_size');
  }

  /** zx_object_get_property(ZX_PROP_VMO_CONTENT_SIZE) */
  getContentSize(): bigint {
    const bytes = new Uint8Array(8);
    this.check(
      this.sys.zx_object_get_property(this.raw, ZX_PROP_VMO_CONTENT_SIZE, bytes, 8),
      'zx_object_get_property',
    );
    return new DataView(bytes.buffer).getBigUint64(0, true);
  }

  /** zx_object_get_property(ZX_PROP_NAME) */
  getName(): string {
    const bytes = new Uint8Array(ZX_MAX_NAME_LEN);
    this.check(
      this.sys.zx_object_get_property(this.raw, ZX_PROP_NAME, bytes, bytes.length),
      'zx_object_get_property',
    );
    const end = bytes.indexOf(0);
    return new TextDecoder().decode(bytes.subarray(0, end < 0 ? bytes.length : end));
  }

  /** zx_object_set_property(ZX_PROP_NAME) */
  setName(name: string): void {
    const bytes = new TextEncoder().encode(name);
    this.check(
      this.sys.zx_object_set_property(this.raw, ZX_PROP_NAME, bytes, bytes.length),
      'zx_object_set_property',
    );
  }

  /** zx_vmo_op_range(ZX_VMO_OP_COMMIT) */
  commit(offset: Size, length: Size): void {
    this.op(ZX_VMO_OP_COMMIT, offset, length);
  }

  /** zx_vmo_op_range(ZX_VMO_OP_DECOMMIT) */
  decommit(offset: Size, length: Size): void {
    this.op(ZX_VMO_OP_DECOMMIT, offset, length);
  }

  /** zx_vmo_op_range(ZX_VMO_OP_ZERO) */
  zero(offset: Size, length: Size): void {
    this.op(ZX_VMO_OP_ZERO, offset, length);
  }

  /** zx_vmo_op_range(ZX_VMO_OP_LOCK) on the whole VMO: what was discarded before it. */
  lock(): ZxVmoLockState {
    const state = new Uint8Array(ZX_VMO_LOCK_STATE_SIZE);
    this.check(
      this.sys.zx_vmo_op_range(this.raw, ZX_VMO_OP_LOCK, 0, this.getSize(), state, state.length),
      'zx_vmo_op_range',
    );
    return decodeZxVmoLockState(state);
  }

  /** zx_vmo_op_range(ZX_VMO_OP_TRY_LOCK) on the whole VMO: false when it was discarded. */
  tryLock(): boolean {
    const status = this.sys.zx_vmo_op_range(
      this.raw,
      ZX_VMO_OP_TRY_LOCK,
      0,
      this.getSize(),
      null,
      0,
    );
    if (status === ZX_ERR_UNAVAILABLE) return false;
    this.check(status, 'zx_vmo_op_range');
    return true;
  }

  /** zx_vmo_op_range(ZX_VMO_OP_UNLOCK) on the whole VMO. */
  unlock(): void {
    this.op(ZX_VMO_OP_UNLOCK, 0, this.getSize());
  }

  /** zx_vmo_op_range with any op and no buffer. */
  op(op: number, offset: Size, length: Size): void {
    this.check(this.sys.zx_vmo_op_range(this.raw, op, offset, length, null, 0), 'zx_vmo_op_range');
  }

  /** zx_vmo_set_cache_policy */
  setCachePolicy(policy: number): void {
    this.check(this.sys.zx_vmo_set_cache_policy(this.raw, policy), 'zx_vmo_set_cache_policy');
  }

  /** zx_object_get_info(ZX_INFO_VMO) */
  info(): ZxInfoVmo {
    const bytes = new Uint8Array(ZX_INFO_VMO_SIZE);
    this.check(
      this.sys.zx_object_get_info(this.raw, ZX_INFO_VMO, bytes, bytes.length, null, null),
      'zx_object_get_info',
    );
    return decodeZxInfoVmo(bytes);
  }

  /** zx_vmo_create_child: a snapshot, slice or reference (ZX_VMO_CHILD_* options). */
  createChild(options: number, offset: Size, size: Size): Vmo {
    const out = { value: 0 };
    this.check(
      this.sys.zx_vmo_create_child(this.raw, options, offset, size, out),
      'zx_vmo_create_child',
    );
    return new Vmo(this.process, out.value);
  }

  /** zx_vmo_transfer_data: moves `length` bytes of pages from `source` into this VMO. */
  transferData(offset: Size, length: Size, source: Vmo, sourceOffset: Size): void {
    this.check(
      this.sys.zx_vmo_transfer_data(this.raw, 0, offset, length, source.raw, sourceOffset),
      'zx_vmo_transfer_data',
    );
  }

  /** zx_handle_duplicate */
  duplicate(rights: number = ZX_RIGHT_SAME_RIGHTS): Vmo {
    return new Vmo(this.process, this.duplicateRaw(rights));
  }

  /** zx_handle_replace */
  replace(rights: number = ZX_RIGHT_SAME_RIGHTS): Vmo {
    return new Vmo(this.process, this.replaceRaw(rights));
  }

  /** zx_vmo_replace_as_executable: consumes this handle. */
  replaceAsExecutable(vmex = 0): Vmo {
    const out = { value: 0 };
    const value = this.intoRaw();
    this.check(
      this.sys.zx_vmo_replace_as_executable(value, vmex, out),
      'zx_vmo_replace_as_executable',
    );
    return new Vmo(this.process, out.value);
  }
}
