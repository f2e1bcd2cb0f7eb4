// A tour of zxvm's VMO syscalls: a kernel with 64 MiB of simulated RAM and one process, three
// VMOs (plain, resizable, discardable), and what the kernel reports after each step. Run it
// with `npm start`.

import * as zx from 'zxvm';
import {
  decodeZxInfoKmemStats,
  decodeZxInfoVmo,
  decodeZxVmoLockState,
  Kernel,
  ZX_INFO_KMEM_STATS,
  ZX_INFO_KMEM_STATS_SIZE,
  ZX_INFO_VMO,
  ZX_INFO_VMO_SIZE,
  ZX_OK,
  ZX_PROP_VMO_CONTENT_SIZE,
  ZX_STATUS_NAMES,
  ZX_VMO_DISCARDABLE,
  ZX_VMO_LOCK_STATE_SIZE,
  ZX_VMO_OP_COMMIT,
  ZX_VMO_OP_LOCK,
  ZX_VMO_OP_TRY_LOCK,
  ZX_VMO_OP_UNLOCK,
  ZX_VMO_OP_ZERO,
  ZX_VMO_RESIZABLE,
} from 'zxvm';

const KiB = 1024;
const MiB = 1024 * KiB;

const kernel = new Kernel({ memoryBytes: 64 * MiB });
const proc = kernel.createProcess({ name: 'demo' });
const sys = proc.syscalls;
const root = kernel.grantSystemResource(proc);

// ---- What the kernel reports -----------------------------------------------------------------

/** The single-bit ZX_RIGHT_* constants, for naming the bits of a rights mask. */
const RIGHT_NAMES = Object.entries(zx)
  .filter(([name, value]) => name.startsWith('ZX_RIGHT_') && typeof value === 'number')
  .filter(([name, value]) => name !== 'ZX_RIGHT_SAME_RIGHTS' && isOneBit(value as number))
  .map(([name, value]) => [name.slice('ZX_RIGHT_'.length), value as number] as const)
  .sort((a, b) => a[1] - b[1]);

function isOneBit(n: number): boolean {
  return n !== 0 && (n & (n - 1)) === 0;
}

function rightNames(rights: number): string {
  return RIGHT_NAMES.filter(([, bit]) => (rights & bit) !== 0)
    .map(([name]) => name)
    .join(' ');
}

function statusName(status: number): string {
  return ZX_STATUS_NAMES[status] ?? `status ${status}`;
}

function vmoInfo(handle: number) {
  const bytes = new Uint8Array(ZX_INFO_VMO_SIZE);
  check(sys.zx_object_get_info(handle, ZX_INFO_VMO, bytes, bytes.length, null, null));
  return decodeZxInfoVmo(bytes);
}

function contentSize(handle: number): bigint {
  const bytes = new Uint8Array(8);
  check(sys.zx_object_get_property(handle, ZX_PROP_VMO_CONTENT_SIZE, bytes, 8));
  return new DataView(bytes.buffer).getBigUint64(0, true);
}

function freeMemory(): bigint {
  const bytes = new Uint8Array(ZX_INFO_KMEM_STATS_SIZE);
  check(sys.zx_object_get_info(root, ZX_INFO_KMEM_STATS, bytes, bytes.length, null, null));
  return decodeZxInfoKmemStats(bytes).free_bytes;
}

/** Exact sizes: "20000 B", "16 KiB", "4 MiB". */
function size(bytes: bigint | number): string {
  const n = Number(bytes);
  if (n !== 0 && n % MiB === 0) return `${n / MiB} MiB`;
  if (n !== 0 && n % KiB === 0) return `${n / KiB} KiB`;
  return `${n} B`;
}

/** Free memory style: "65,532 KiB". */
function kib(bytes: bigint): string {
  return `${(Number(bytes) / KiB).toLocaleString('en-US')} KiB`;
}

function check(status: number): void {
  if (status !== ZX_OK) throw new Error(`unexpected ${statusName(status)}`);
}

// ---- Printing one line per step --------------------------------------------------------------

/** Name and width of each column; a negative width right-aligns (numbers). */
const COLUMNS = [
  ['step', 30],
  ['status', 19],
  ['size', -7],
  ['committed', -9],
  ['content', -8],
  ['free RAM', -10],
] as const;

function row(cells: readonly string[]): string {
  const padded = cells.map((cell, i) => {
    const width = COLUMNS[i]![1];
    return width < 0 ? cell.padStart(-width) : cell.padEnd(width);
  });
  return `  ${padded.join('  ')}`;
}

function header(title: string, handle: number): void {
  console.log(`\n${title}`);
  console.log(`  rights: ${rightNames(vmoInfo(handle).handle_rights)}`);
  console.log(row(COLUMNS.map(([name]) => name)));
}

/** Prints the status of one step beside what the kernel now reports about the VMO. */
function step(what: string, status: number, handle: number): void {
  const info = vmoInfo(handle);
  const cells = [
    what,
    statusName(status),
    size(info.size_bytes),
    size(info.committed_bytes),
    size(contentSize(handle)),
    kib(freeMemory()),
  ];
  console.log(row(cells));
}

function create(bytes: number, options: number): number {
  const out = { value: 0 };
  check(sys.zx_vmo_create(bytes, options, out));
  return out.value;
}

/** zx_vmo_op_range without a buffer (COMMIT, ZERO ...). */
function opRange(handle: number, op: number, offset: number, length: number): number {
  return sys.zx_vmo_op_range(handle, op, offset, length, null, 0);
}

// ---- The tour --------------------------------------------------------------------------------

const freeAtStart = freeMemory();
console.log(`kernel: ${size(64 * MiB)} of simulated RAM; process "${proc.name}"`);

// A plain VMO: 20000 bytes, rounded up to 5 pages. Nothing is committed until written.
const plain = create(20000, 0);
header('plain VMO: zx_vmo_create(20000, 0)', plain);
step('create', ZX_OK, plain);
const hello = new TextEncoder().encode('hello, zircon');
step('write 13 bytes at 4096', sys.zx_vmo_write(plain, hello, 4096, hello.length), plain);
const back = new Uint8Array(hello.length);
const readStatus = sys.zx_vmo_read(plain, back, 4096, back.length);
step(`read back "${new TextDecoder().decode(back)}"`, readStatus, plain);
step('commit [0, 16 KiB)', opRange(plain, ZX_VMO_OP_COMMIT, 0, 16 * KiB), plain);
// Zeroing whole pages gives their frames back: they read as zero without holding memory.
step('zero [0, 8 KiB)', opRange(plain, ZX_VMO_OP_ZERO, 0, 8 * KiB), plain);
step('read past the end', sys.zx_vmo_read(plain, back, 20480, 1), plain);
step('set_size 64 KiB', sys.zx_vmo_set_size(plain, 64 * KiB), plain);

// A resizable VMO: its handle also carries ZX_RIGHT_RESIZE.
const growable = create(16 * KiB, ZX_VMO_RESIZABLE);
header('resizable VMO: zx_vmo_create(16 KiB, ZX_VMO_RESIZABLE)', growable);
step('commit all', opRange(growable, ZX_VMO_OP_COMMIT, 0, 16 * KiB), growable);
step('set_size 1 MiB', sys.zx_vmo_set_size(growable, MiB), growable);
step('write 1 byte at 1 MiB - 1', sys.zx_vmo_write(growable, hello, MiB - 1, 1), growable);
// Shrinking frees the pages past the new end; the content size keeps the exact byte count.
step('set_size 6000', sys.zx_vmo_set_size(growable, 6000), growable);

// A discardable VMO: while unlocked, the kernel may throw its pages away under memory pressure.
const cache = create(4 * MiB, ZX_VMO_DISCARDABLE);
const lockState = new Uint8Array(ZX_VMO_LOCK_STATE_SIZE);
const lock = (op: number) =>
  sys.zx_vmo_op_range(cache, op, 0, 4 * MiB, lockState, lockState.length);
header('discardable VMO: zx_vmo_create(4 MiB, ZX_VMO_DISCARDABLE)', cache);
step('LOCK', lock(ZX_VMO_OP_LOCK), cache);
step('commit all', opRange(cache, ZX_VMO_OP_COMMIT, 0, 4 * MiB), cache);
step('UNLOCK', lock(ZX_VMO_OP_UNLOCK), cache);
// Another VMO asks for more memory than is free: the kernel reclaims the unlocked one.
const big = create(60 * MiB, 0);
step('commit 60 MiB in another VMO', opRange(big, ZX_VMO_OP_COMMIT, 0, 60 * MiB), cache);
step('read while discarded', sys.zx_vmo_read(cache, back, 0, 1), cache);
step('TRY_LOCK', lock(ZX_VMO_OP_TRY_LOCK), cache);
const relock = lock(ZX_VMO_OP_LOCK);
step(`LOCK (discarded ${size(decodeZxVmoLockState(lockState).discarded_size)})`, relock, cache);
step('read after LOCK', sys.zx_vmo_read(cache, back, 0, 1), cache);

// Closing every handle gives every page back.
for (const handle of [plain, growable, cache, big]) check(sys.zx_handle_close(handle));
const freeAtEnd = freeMemory();
const verdict =
  freeAtEnd === freeAtStart ? 'as at the start' : `but ${kib(freeAtStart)} at the start!`;
console.log(`\nclosed every VMO handle: free RAM ${kib(freeAtEnd)}, ${verdict}`);
if (freeAtEnd !== freeAtStart) process.exitCode = 1;
