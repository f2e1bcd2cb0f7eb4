// Why a call of the thread, port, channel and pager families failed: each check names the
// argument, the value and what it was checked against (reasons.test.ts does the VMO, VMAR,
// object, task and driver families, and the machinery).

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import {
  ZX_CHANNEL_READ_MAY_DISCARD,
  ZX_ERR_ACCESS_DENIED,
  ZX_ERR_BAD_HANDLE,
  ZX_ERR_BAD_STATE,
  ZX_ERR_BUFFER_TOO_SMALL,
  ZX_ERR_INVALID_ARGS,
  ZX_ERR_NOT_FOUND,
  ZX_ERR_NOT_SUPPORTED,
  ZX_ERR_OUT_OF_RANGE,
  ZX_ERR_PEER_CLOSED,
  ZX_ERR_SHOULD_WAIT,
  ZX_ERR_TIMED_OUT,
  ZX_ERR_WRONG_TYPE,
  ZX_PAGER_OP_FAIL,
  ZX_RIGHT_READ,
  ZX_TIME_INFINITE,
  ZX_USER_SIGNAL_0,
  ZX_VMO_RESIZABLE,
  ZX_VMO_UNBOUNDED,
  ZX_WAIT_ASYNC_BOOT_TIMESTAMP,
  ZX_WAIT_ASYNC_TIMESTAMP,
} from '../../src/abi/constants.ts';
import { encodeHandles, ZX_PORT_PACKET_SIZE } from '../../src/abi/structs.ts';
import {
  createVmo,
  duplicate,
  expectFailure,
  newKernel,
  newProcess,
  out,
  PAGE,
} from '../helpers.ts';
import { callArgs, createChannel, createPort } from './ipc-helpers.ts';
import { createPagedVmo, createPager } from './pager/pager-helpers.ts';

function explainingProcess() {
  const test = newProcess(newKernel());
  test.proc.explain(true);
  return test;
}

describe('the thread, port, channel and pager families explain their checks', () => {
  it('ports: options, an empty port, cancels that find nothing, objects that cannot be waited on', () => {
    const { proc, sys } = explainingProcess();
    expectFailure(
      proc,
      sys.zx_port_create(3, out(0)),
      ZX_ERR_INVALID_ARGS,
      /^options 0x3 is neither 0 nor ZX_PORT_BIND_TO_INTERRUPT$/,
    );
    const port = createPort(sys);
    const packet = new Uint8Array(ZX_PORT_PACKET_SIZE);
    expectFailure(
      proc,
      sys.zx_port_wait(port, 0n, packet),
      ZX_ERR_TIMED_OUT,
      /^the deadline \(0 ns\) passed with the port empty$/,
    );
    expectFailure(
      proc,
      sys.zx_port_wait(port, ZX_TIME_INFINITE, packet),
      ZX_ERR_SHOULD_WAIT,
      /^the port is empty and the deadline is ahead/,
    );
    const [channel] = createChannel(sys);
    expectFailure(
      proc,
      sys.zx_port_cancel(port, channel, 7n),
      ZX_ERR_NOT_FOUND,
      /^no wait through source 0x[0-9a-f]+ with key 7 is pending/,
    );
    expectFailure(
      proc,
      sys.zx_port_cancel(port, port, 7n),
      ZX_ERR_ACCESS_DENIED,
      /^source lacks ZX_RIGHT_WAIT \(has ZX_RIGHT_DUPLICATE \| ZX_RIGHT_TRANSFER \| ZX_RIGHT_READ \| ZX_RIGHT_WRITE \| ZX_RIGHT_INSPECT\)$/,
    );
    expectFailure(
      proc,
      sys.zx_port_cancel_key(port, 2, 7n),
      ZX_ERR_INVALID_ARGS,
      /^options is 0x2, not 0$/,
    );
    expectFailure(proc, sys.zx_port_cancel_key(port, 0, 9n), ZX_ERR_NOT_FOUND, /with key 9/);
    const readOnly = duplicate(sys, port, ZX_RIGHT_READ);
    expectFailure(
      proc,
      sys.zx_port_queue(readOnly, packet),
      ZX_ERR_ACCESS_DENIED,
      /^handle lacks ZX_RIGHT_WRITE \(has ZX_RIGHT_READ\)$/,
    );
  });

  it('zx_object_wait_async and zx_task_kill: options by bit, and what a task is', async () => {
    const { proc, sys } = explainingProcess();
    const port = createPort(sys);
    const vmo = createVmo(sys, PAGE);
    expectFailure(
      proc,
      sys.zx_object_wait_async(vmo, port, 0n, ZX_USER_SIGNAL_0, 0x100),
      ZX_ERR_INVALID_ARGS,
      /^options has unknown bits \(0x100\)$/,
    );
    const both = ZX_WAIT_ASYNC_TIMESTAMP | ZX_WAIT_ASYNC_BOOT_TIMESTAMP;
    expectFailure(
      proc,
      sys.zx_object_wait_async(vmo, port, 0n, ZX_USER_SIGNAL_0, both),
      ZX_ERR_INVALID_ARGS,
      /both ZX_WAIT_ASYNC_TIMESTAMP and ZX_WAIT_ASYNC_BOOT_TIMESTAMP/,
    );
    expectFailure(
      proc,
      sys.zx_object_wait_async(port, port, 0n, ZX_USER_SIGNAL_0, 0),
      ZX_ERR_ACCESS_DENIED,
      /^handle lacks ZX_RIGHT_WAIT/,
    );
    const thread = proc.startThread(() => 0);
    expectFailure(
      proc,
      sys.zx_task_kill(thread.handle),
      ZX_ERR_WRONG_TYPE,
      /^handle is ZX_OBJ_TYPE_THREAD, not ZX_OBJ_TYPE_PROCESS or ZX_OBJ_TYPE_JOB$/,
    );
    await thread.done;
  });

  it('channels: options, empty queues, sizes against the message, listed handles, limits', () => {
    const { proc, sys } = explainingProcess();
    expectFailure(
      proc,
      sys.zx_channel_create(1, out(0), out(0)),
      ZX_ERR_INVALID_ARGS,
      /^options is 0x1, not 0$/,
    );
    const [a, b] = createChannel(sys);
    const read = (options: number, bytes: number, handles: number) =>
      sys.zx_channel_read(
        a,
        options,
        new Uint8Array(64),
        new Uint8Array(64),
        bytes,
        handles,
        null,
        null,
      );
    expectFailure(
      proc,
      read(ZX_CHANNEL_READ_MAY_DISCARD | 4, 64, 16),
      ZX_ERR_NOT_SUPPORTED,
      /^options \(0x5\) has bits other than ZX_CHANNEL_READ_MAY_DISCARD$/,
    );
    expectFailure(
      proc,
      read(0, 64, 16),
      ZX_ERR_SHOULD_WAIT,
      /^no message is queued and the peer is open/,
    );
    assert.equal(sys.zx_channel_write(b, 0, new Uint8Array(24), 24, null, 0), 0);
    expectFailure(
      proc,
      read(0, 8, 0),
      ZX_ERR_BUFFER_TOO_SMALL,
      /^the first message has 24 bytes and 0 handles; num_bytes is 8, num_handles 0$/,
    );
    expectFailure(
      proc,
      sys.zx_channel_write(b, 6, new Uint8Array(4), 4, null, 0),
      ZX_ERR_INVALID_ARGS,
      /^options \(0x6\) has bits other than ZX_CHANNEL_WRITE_USE_IOVEC$/,
    );
    expectFailure(
      proc,
      sys.zx_channel_write(b, 0, new Uint8Array(4), 70000, null, 0),
      ZX_ERR_OUT_OF_RANGE,
      /^num_bytes \(70000\) is more than 65536$/,
    );
    const noTransfer = duplicate(sys, createVmo(sys, PAGE), ZX_RIGHT_READ);
    expectFailure(
      proc,
      sys.zx_channel_write(b, 0, new Uint8Array(4), 4, encodeHandles([noTransfer]), 1),
      ZX_ERR_ACCESS_DENIED,
      /^handles\[0\] lacks ZX_RIGHT_TRANSFER \(has ZX_RIGHT_READ\)$/,
    );
    expectFailure(
      proc,
      sys.zx_channel_write(b, 0, new Uint8Array(4), 4, encodeHandles([b]), 1),
      ZX_ERR_NOT_SUPPORTED,
      /^handles\[0\] is the channel written to$/,
    );
    const [c, d] = createChannel(sys);
    sys.zx_handle_close(d);
    expectFailure(
      proc,
      sys.zx_channel_write(c, 0, new Uint8Array(4), 4, null, 0),
      ZX_ERR_PEER_CLOSED,
      /^the peer is closed/,
    );
    const [e] = createChannel(sys);
    expectFailure(
      proc,
      sys.zx_channel_call(e, 0, 0n, callArgs({ wr_num_bytes: 0 }), out(0), out(0)),
      ZX_ERR_INVALID_ARGS,
      /^the request has 0 bytes, fewer than a txid \(4 bytes\)$/,
    );
  });

  it('pagers: options, the port looked up by hand, whose VMO, alignment, FAIL data, stats', () => {
    const { proc, sys } = explainingProcess();
    expectFailure(proc, sys.zx_pager_create(1, out(0)), ZX_ERR_INVALID_ARGS, /^options is 0x1/);
    const pager = createPager(sys);
    const port = createPort(sys);
    const create = (options: number, portHandle: number, size = BigInt(PAGE)) =>
      sys.zx_pager_create_vmo(pager, options, portHandle, 0n, size, out(0));
    expectFailure(
      proc,
      create(0, 0x1234_5673),
      ZX_ERR_BAD_HANDLE,
      /^port \(0x12345673\) names no handle/,
    );
    const readOnlyPort = duplicate(sys, port, ZX_RIGHT_READ);
    expectFailure(
      proc,
      create(0, readOnlyPort),
      ZX_ERR_ACCESS_DENIED,
      /^port lacks ZX_RIGHT_WRITE/,
    );
    const vmo = createVmo(sys, PAGE);
    expectFailure(
      proc,
      create(0, vmo),
      ZX_ERR_WRONG_TYPE,
      /^port is ZX_OBJ_TYPE_VMO, not ZX_OBJ_TYPE_PORT$/,
    );
    expectFailure(
      proc,
      create(ZX_VMO_RESIZABLE | ZX_VMO_UNBOUNDED, port),
      ZX_ERR_INVALID_ARGS,
      /^options has both ZX_VMO_RESIZABLE and ZX_VMO_UNBOUNDED$/,
    );
    expectFailure(
      proc,
      create(0, port, 2n ** 64n - 1n),
      ZX_ERR_OUT_OF_RANGE,
      /rounds up past 2\^64/,
    );
    const paged = createPagedVmo(sys, pager, port, 1n, 2);
    expectFailure(
      proc,
      sys.zx_pager_supply_pages(pager, paged, 0n, 100n, vmo, 0n),
      ZX_ERR_INVALID_ARGS,
      /^length \(0x64\) is not page aligned$/,
    );
    expectFailure(
      proc,
      sys.zx_pager_supply_pages(pager, vmo, 0n, BigInt(PAGE), vmo, 0n),
      ZX_ERR_INVALID_ARGS,
      /^pager_vmo \(koid \d+\) is not pager-backed$/,
    );
    expectFailure(
      proc,
      sys.zx_pager_supply_pages(pager, paged, 0n, BigInt(PAGE), paged, 0n),
      ZX_ERR_NOT_SUPPORTED,
      /^aux_vmo is pager-backed/,
    );
    const aux = createVmo(sys, 4 * PAGE);
    expectFailure(
      proc,
      sys.zx_pager_supply_pages(pager, paged, 0n, BigInt(4 * PAGE), aux, 0n),
      ZX_ERR_OUT_OF_RANGE,
      /^offset \+ length \(0x4000\) is past the VMO's size \(0x2000\)$/,
    );
    expectFailure(
      proc,
      sys.zx_pager_op_range(pager, ZX_PAGER_OP_FAIL, paged, 0n, BigInt(PAGE), 0n),
      ZX_ERR_INVALID_ARGS,
      /^data \(ZX_OK\) is not a status FAIL takes/,
    );
    expectFailure(
      proc,
      sys.zx_pager_op_range(pager, 9, paged, 0n, BigInt(PAGE), 0n),
      ZX_ERR_NOT_SUPPORTED,
      /^op 9 is not a ZX_PAGER_OP_\* \(FAIL, DIRTY/,
    );
    const stats = new Uint8Array(4);
    expectFailure(
      proc,
      sys.zx_pager_query_vmo_stats(pager, paged, 0, stats, 3n),
      ZX_ERR_BUFFER_TOO_SMALL,
      /^buffer_size \(3\) is less than a zx_pager_vmo_stats_t \(4 bytes\)$/,
    );
    expectFailure(
      proc,
      sys.zx_pager_query_vmo_stats(pager, paged, 2, stats, 4n),
      ZX_ERR_INVALID_ARGS,
      /^options \(0x2\) has bits other than ZX_PAGER_RESET_VMO_STATS$/,
    );
    assert.equal(sys.zx_pager_detach_vmo(pager, paged), 0);
    expectFailure(
      proc,
      sys.zx_pager_supply_pages(pager, paged, 0n, BigInt(PAGE), aux, 0n),
      ZX_ERR_BAD_STATE,
      /^the VMO is detached from its pager$/,
    );
  });
});
