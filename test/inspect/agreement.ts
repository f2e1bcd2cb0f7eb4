// What a kernel.inspect() snapshot must agree with: what zx_object_get_info tells a program
// (ZX_INFO_VMO for every VMO handle, ZX_INFO_KMEM_STATS, ZX_INFO_PROCESS_MAPS), and itself (the
// page runs of each VMO's node add up to the attribution ZX_INFO_VMO reports, every frame the
// VMOs hold is in exactly one node, every page-table entry shows the frame the VMO's node has
// there). Shared by the tree tests and the property test.

import assert from 'node:assert/strict';

import {
  ZX_INFO_MAPS_TYPE_ASPACE,
  ZX_INFO_MAPS_TYPE_MAPPING,
  ZX_INFO_MAPS_TYPE_VMAR,
  ZX_INFO_PROCESS_MAPS,
  ZX_INFO_VMO_PAGER_BACKED,
  ZX_INFO_VMO_VIA_HANDLE,
  ZX_OBJ_TYPE_PAGER,
  ZX_OBJ_TYPE_VMO,
} from '../../src/abi/constants.ts';
import { nameFlags } from '../../src/abi/flags.ts';
import {
  decodeZxInfoMaps,
  decodeZxPagerVmoStats,
  ZX_INFO_MAPS_SIZE,
} from '../../src/abi/structs.ts';
import type {
  CowNodeSnapshot,
  KernelSnapshot,
  MappingSnapshot,
  PageRun,
  VmarSnapshot,
} from '../../src/inspect.ts';
import type { Kernel } from '../../src/kernel.ts';
import type { Process } from '../../src/process.ts';
import { kmemStats, out, vmoInfo } from '../helpers.ts';

const PAGE = 4096;

/** Bigints as the snapshot writes them. */
function decimal<T extends object>(record: T): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(record).map(([k, v]) => [k, typeof v === 'bigint' ? v.toString() : v]),
  );
}

/** The run of `node` covering `page`, if any. */
export function runAt(node: CowNodeSnapshot, page: number): PageRun | undefined {
  return node.pages.find((run) => page >= run.start && page < run.start + run.count);
}

/** Every mapping under a VMAR, depth first. */
export function mappingsUnder(vmar: VmarSnapshot): MappingSnapshot[] {
  return vmar.children.flatMap((child) =>
    child.kind === 'mapping' ? [child] : mappingsUnder(child),
  );
}

/**
 * Checks `snapshot` against the syscalls of `proc` (the system resource for KMEM stats is
 * granted on first use) and against itself. Returns the snapshot for further checks.
 */
export function checkAgreement(
  kernel: Kernel,
  proc: Process,
  snapshot: KernelSnapshot = kernel.inspect(),
): KernelSnapshot {
  // JSON-safe: it survives a round trip unchanged.
  assert.deepEqual(JSON.parse(JSON.stringify(snapshot)), snapshot);
  assert.equal(snapshot.version, 2);

  // ZX_INFO_KMEM_STATS, byte for byte.
  assert.deepEqual(snapshot.memory.kmem, decimal(kmemStats(kernel, proc)));
  const frames = snapshot.memory;
  assert.equal(BigInt(snapshot.memory.kmem.vmo_bytes), BigInt(frames.usedFrames.vmo) * 4096n);

  const nodes = new Map(snapshot.nodes.map((node) => [node.id, node]));
  const vmos = new Map(snapshot.vmos.map((vmo) => [vmo.koid, vmo]));
  assert.equal(nodes.size, snapshot.nodes.length, 'node ids are unique');

  // ZX_INFO_VMO for every VMO handle of the process: the record, but for the handle's own part.
  const me = snapshot.processes.find((p) => p.koid === proc.object.koid)!;
  for (const handle of me.handles) {
    if (handle.type !== 'ZX_OBJ_TYPE_VMO') continue;
    assert.equal(nameFlags('obj_type', ZX_OBJ_TYPE_VMO), handle.type);
    const info = vmoInfo(proc.syscalls, handle.value);
    const vmo = vmos.get(handle.koid);
    assert.ok(vmo !== undefined, `VMO ${handle.koid} of a handle is in the snapshot`);
    const { handle_rights: _rights, ...expected } = decimal({
      ...info,
      flags: info.flags & ~ZX_INFO_VMO_VIA_HANDLE,
    });
    const { flagNames: _names, ...shown } = vmo.info;
    assert.deepEqual(shown, expected, `ZX_INFO_VMO of ${handle.koid}`);
    assert.equal(vmo.info.size_bytes, String(vmo.sizePages * PAGE));
    assert.equal(vmo.info.num_children, String(vmo.childKoids.length));
    assert.equal(vmo.info.parent_koid, String(vmo.parentKoid ?? 0));
    const pagerBacked = (info.flags & ZX_INFO_VMO_PAGER_BACKED) !== 0;
    assert.equal(vmo.pagerKoid !== null, pagerBacked, `PAGER_BACKED of ${handle.koid}`);
  }
  checkPagers(snapshot, proc);

  // Every frame the VMOs hold is in one node (contiguous ones included); none is counted twice.
  const held = snapshot.nodes.reduce((sum, node) => sum + node.frames, 0);
  assert.equal(held, frames.usedFrames.vmo, 'frames in nodes = KMEM vmo frames');
  const owners = new Map<number, number>();
  const pagerNodes = new Set<number>();
  for (const vmo of snapshot.vmos)
    if (vmo.pagerKoid !== null && vmo.node !== null) pagerNodes.add(vmo.node);
  for (const node of snapshot.nodes) {
    let counted = 0;
    let markers = 0;
    for (const run of node.pages) {
      if (run.state === 'frame') {
        counted += run.count;
        for (let i = 0; i < run.count; i++) {
          const frame = run.frame! + i;
          assert.equal(owners.get(frame), undefined, `frame ${frame} in two nodes`);
          owners.set(frame, node.id);
        }
      } else if (run.state === 'zero') markers += run.count;
      else {
        assert.ok(!node.hidden, 'hidden nodes list no ancestor runs');
        const holder = nodes.get(run.holder!)!;
        const there = runAt(holder, run.holderPage!);
        assert.equal(there?.state, 'frame', 'an ancestor run points at frames');
        assert.equal(run.frame, there!.frame! + (run.holderPage! - there!.start));
        assert.equal(run.share, there!.share);
      }
    }
    assert.equal(counted, node.frames);
    assert.equal(markers, node.zeroMarkers);
    for (const child of node.children) assert.equal(nodes.get(child)?.parent, node.id);
    if (node.hidden) assert.ok(node.children.length >= 2, 'a hidden node has two children or more');
    else {
      // Only under a pager does a visible node have children: hidden ones, or pager-backed VMOs'.
      for (const child of node.children) {
        assert.ok(
          nodes.get(child)!.hidden || pagerNodes.has(child),
          'a visible node with children',
        );
      }
    }
  }

  // The runs add up to the attribution ZX_INFO_VMO reports (counted here independently).
  for (const vmo of snapshot.vmos) {
    if (vmo.node === null) continue; // device memory: no copy-on-write node
    const node = nodes.get(vmo.node)!;
    assert.ok(
      node.views.some((view) => view.koid === vmo.koid),
      'the node lists its views',
    );
    let pages = 0;
    let privatePages = 0;
    const from = vmo.nodeOffsetPages;
    const to = from + vmo.sizePages;
    for (const run of node.pages) {
      if (run.state === 'zero') continue;
      // A visible ancestor's pages (under a pager) are charged to it alone.
      if (run.holder !== null && !nodes.get(run.holder)!.hidden) continue;
      const n = Math.max(0, Math.min(to, run.start + run.count) - Math.max(from, run.start));
      pages += n;
      if (run.share === 0) privatePages += n;
    }
    const attributed = vmo.childType !== 'slice' && vmo.childType !== 'reference';
    if (vmo.kind === 'physical' || !attributed) {
      assert.equal(vmo.info.committed_bytes, '0', `VMO ${vmo.koid} is charged nothing`);
    } else {
      assert.equal(vmo.info.committed_bytes, String(pages * PAGE), `committed of ${vmo.koid}`);
      assert.equal(vmo.info.committed_private_bytes, String(privatePages * PAGE));
    }
  }

  // ZX_INFO_PROCESS_MAPS: the same VMARs and mappings (one record per protection range).
  for (const process of snapshot.processes) {
    if (process.addressSpace === null) continue;
    if (process.koid !== proc.object.koid) continue;
    const records = processMaps(proc);
    const expected: string[] = [];
    const walk = (vmar: VmarSnapshot, depth: number) => {
      expected.push(`vmar ${depth} ${vmar.base} ${vmar.size}`);
      for (const child of vmar.children) {
        if (child.kind === 'vmar') walk(child, depth + 1);
        else {
          for (const range of child.protections) {
            const offset = BigInt(child.vmoOffset) + BigInt(range.base) - BigInt(child.base);
            expected.push(
              `mapping ${depth + 1} ${range.base} ${range.size} ${child.vmoKoid} ${offset} ${range.perms}`,
            );
          }
        }
      }
    };
    walk(process.addressSpace.root, 1);
    assert.deepEqual(records.slice(1), expected, 'ZX_INFO_PROCESS_MAPS');
    assert.match(records[0]!, /^aspace 0 /);

    // Each page-table entry shows what the VMO's node has at that page.
    let entries = 0;
    for (const mapping of mappingsUnder(process.addressSpace.root)) {
      const vmo = vmos.get(mapping.vmoKoid)!;
      if (vmo.node === null) continue;
      const node = nodes.get(vmo.node)!;
      for (const pte of mapping.ptes) {
        entries += pte.pages;
        assert.ok(pte.perms.includes('ZX_VM_PERM_READ'));
        assert.equal(pte.perms.includes('ZX_VM_PERM_WRITE'), pte.writable);
        for (let i = 0; i < pte.pages; i++) {
          const vaddr = BigInt(pte.vaddr) + BigInt(i * PAGE);
          const page =
            Number((vaddr - BigInt(mapping.base) + BigInt(mapping.vmoOffset)) / 4096n) +
            vmo.nodeOffsetPages;
          const run = runAt(node, page);
          if (vmo.kind === 'physical') {
            assert.equal(pte.frame + i, vmo.physicalBaseFrame! + page);
          } else if (pte.zeroPage) {
            assert.ok(run === undefined || run.state === 'zero', 'the zero page where nothing is');
            assert.equal(pte.writable, false);
          } else {
            assert.ok(run !== undefined && run.state !== 'zero', `page ${page} has a frame`);
            assert.equal(pte.frame + i, run.frame! + (page - run.start), `frame at ${vaddr}`);
            if (pte.writable) assert.equal(run.state, 'frame', 'writable only when owned');
          }
        }
      }
    }
    assert.equal(entries, process.addressSpace.pageTableEntries);
  }
  return snapshot;
}

/** ZX_INFO_PROCESS_MAPS of `proc`, one line per record. */
function processMaps(proc: Process): string[] {
  const avail = out(0n);
  const sys = proc.syscalls;
  assert.equal(sys.zx_object_get_info(proc.self, ZX_INFO_PROCESS_MAPS, null, 0, null, avail), 0);
  const count = Number(avail.value);
  const bytes = new Uint8Array(count * ZX_INFO_MAPS_SIZE);
  assert.equal(
    sys.zx_object_get_info(proc.self, ZX_INFO_PROCESS_MAPS, bytes, bytes.length, null, null),
    0,
  );
  const lines: string[] = [];
  for (let i = 0; i < count; i++) {
    const r = decodeZxInfoMaps(bytes.subarray(i * ZX_INFO_MAPS_SIZE, (i + 1) * ZX_INFO_MAPS_SIZE));
    if (r.type === ZX_INFO_MAPS_TYPE_ASPACE) lines.push(`aspace ${r.depth} ${r.base} ${r.size}`);
    else if (r.type === ZX_INFO_MAPS_TYPE_VMAR) lines.push(`vmar ${r.depth} ${r.base} ${r.size}`);
    else if (r.type === ZX_INFO_MAPS_TYPE_MAPPING) {
      const m = r.u.mapping;
      lines.push(
        `mapping ${r.depth} ${r.base} ${r.size} ${m.vmo_koid} ${m.vmo_offset} ${nameFlags('vm_options', m.mmu_flags)}`,
      );
    }
  }
  return lines;
}

/** Checks that inspect() changed nothing: the same KMEM stats and the same second snapshot. */
export function checkReadOnly(kernel: Kernel, proc: Process): KernelSnapshot {
  const before = kmemStats(kernel, proc);
  const first = kernel.inspect();
  const second = kernel.inspect();
  assert.deepEqual(second, first, 'a second inspect() sees the same kernel');
  assert.deepEqual(kmemStats(kernel, proc), before, 'inspect() changed no memory counter');
  return first;
}

/**
 * The pagers: every VMO they back is in `vmos` naming them, its supplied pages are what its
 * node holds, its requests lie in it without overlapping and at most one packet of it waits
 * in the port; what zx_pager_query_vmo_stats says of each VMO that a pager handle of `proc`
 * reaches is what the snapshot says.
 */
export function checkPagers(snapshot: KernelSnapshot, proc: Process): void {
  const vmos = new Map(snapshot.vmos.map((vmo) => [vmo.koid, vmo]));
  const nodes = new Map(snapshot.nodes.map((node) => [node.id, node]));
  const me = snapshot.processes.find((p) => p.koid === proc.object.koid)!;
  const koids = new Set(snapshot.pagers.map((pager) => pager.koid));
  for (const vmo of snapshot.vmos) {
    if (vmo.pagerKoid !== null) assert.ok(koids.has(vmo.pagerKoid), 'its pager is listed');
  }
  for (const pager of snapshot.pagers) {
    for (const served of pager.vmos) {
      const vmo = vmos.get(served.vmoKoid)!;
      assert.equal(vmo.pagerKoid, pager.koid);
      const node = nodes.get(vmo.node!)!;
      const held = node.pages.filter((run) => run.state !== 'ancestor');
      assert.deepEqual(
        served.supplied,
        mergedRuns(held.map((run) => ({ start: run.start, count: run.count }))),
        'supplied pages are what the root holds',
      );
      const ends = { READ: 0, DIRTY: 0 };
      let first = 0;
      let inPort = 0;
      for (const request of served.requests) {
        const start = Number(request.offset) / PAGE;
        assert.ok(start >= first, 'requests are sorted by first page');
        first = start;
        assert.ok(start >= ends[request.command], 'requests of one command do not overlap');
        const end = start + Number(request.length) / PAGE;
        ends[request.command] = end;
        assert.ok(end <= vmo.sizePages && end > start);
        if (request.packet === 'in_port') inPort++;
        const next = Number(request.nextOffset) / PAGE;
        assert.ok(next >= start && next < end, 'the next page needed is in the request');
      }
      assert.ok(inPort <= 1, 'one packet of a VMO in the port at a time');
      const pagerHandle = me.handles.find((h) => h.koid === pager.koid);
      const vmoHandle = me.handles.find((h) => h.koid === served.vmoKoid);
      if (pagerHandle === undefined || vmoHandle === undefined) continue;
      const buffer = new Uint8Array(4);
      const status = proc.syscalls.zx_pager_query_vmo_stats(
        pagerHandle.value,
        vmoHandle.value,
        0,
        buffer,
        4,
      );
      if (status !== 0) continue; // a handle without READ
      const modified = decodeZxPagerVmoStats(buffer).modified !== 0;
      assert.equal(served.modified, modified, `modified of ${served.vmoKoid}`);
    }
  }
  assert.ok(
    me.handles.every(
      (h) => h.type !== nameFlags('obj_type', ZX_OBJ_TYPE_PAGER) || koids.has(h.koid),
    ),
  );
}

/** Adjacent runs joined. */
function mergedRuns(runs: { start: number; count: number }[]): { start: number; count: number }[] {
  const merged: { start: number; count: number }[] = [];
  for (const run of runs) {
    const last = merged.at(-1);
    if (last !== undefined && last.start + last.count === run.start) last.count += run.count;
    else merged.push({ ...run });
  }
  return merged;
}
