// Page faults as a tracer sees them: what a fault found and what it did (mapped the shared zero
// page, mapped a page that was there, committed a new page, forked a page seen through an
// ancestor, waited on the pager, or failed). An address space calls observeFault instead of its
// plain fault path only while an observer is attached (VmAspace.onFault), so an untraced
// process pays one null check per fault and allocates nothing.
//
// What a write fault did is told by where the page was before it: the VMO's own node (made
// writable), an ancestor (forked: copy-on-write), or nowhere (committed, zero-filled). That is
// read without side effects, through the same run walk kernel.inspect() uses.

import { ZX_ERR_SHOULD_WAIT, ZX_OK } from '../abi/constants.ts';
import { explaining, type ReasonSlot } from '../util/reason.ts';
import { PAGE_SIZE } from '../util/u64.ts';
import { forEachParentRun } from './cow-walk.ts';
import { isFrame, ZERO_MARKER } from './page-list.ts';
import { pteFrame } from './page-table.ts';
import type { VmAspace } from './vm-aspace.ts';
import type { VmObject } from './vm-object.ts';
import { VmObjectPaged } from './vm-object-paged.ts';

/**
 * What a fault did: `zero_page` mapped the shared zero page (nothing written there yet);
 * `mapped` mapped a page that was there (its own, a device page, or an ancestor's for reading);
 * `committed` gave the VMO a new zero-filled page; `copied_on_write` gave it its own copy of a
 * page it saw through an ancestor; `waiting_on_pager` sent a page request (or joined one) and
 * waits; `failed` ended with an error status.
 */
export type FaultResult =
  | 'zero_page'
  | 'mapped'
  | 'committed'
  | 'copied_on_write'
  | 'waiting_on_pager'
  | 'failed';

/** One fault, as the VM layer knows it. */
export interface FaultRecord {
  readonly vaddr: number;
  readonly write: boolean;
  /** The VMO mapped there and the page of it, or null where nothing is mapped. */
  readonly vmo: VmObject | null;
  readonly vmoPage: number | null;
  readonly result: FaultResult;
  /** ZX_OK, ZX_ERR_SHOULD_WAIT (waiting on the pager) or the error. */
  readonly status: number;
  /** Why it failed, in words; null unless it failed. */
  readonly reason: string | null;
}

export type FaultObserver = (fault: FaultRecord) => void;

/** Where a VMO's page is before a fault: held by its node, seen in an ancestor, or nowhere. */
function origin(vmo: VmObject, page: number): 'own' | 'ancestor' | 'none' {
  if (!(vmo instanceof VmObjectPaged)) return 'own';
  const node = vmo.cow;
  const index = page + vmo.cowOffset;
  const entry = node.pages.get(index);
  if (isFrame(entry)) return 'own';
  if (entry === ZERO_MARKER || node.parent === null) return 'none';
  let seen = false;
  forEachParentRun(node, index, index + 1, (holder, holderStart) => {
    if (isFrame(holder.pages.get(holderStart))) seen = true;
  });
  return seen ? 'ancestor' : 'none';
}

/** The fault at `vpage` resolved by `aspace.resolveFault`, told to `observer`. */
export function observeFault(
  aspace: VmAspace,
  observer: FaultObserver,
  vpage: number,
  write: boolean,
): number {
  const vaddr = vpage * PAGE_SIZE;
  const mapping = aspace.findMapping(vaddr);
  const vmo = mapping === null ? null : mapping.vmo;
  const vmoPage = mapping === null ? null : mapping.vmoPage + (vpage - mapping.basePage);
  const before = vmo === null || vmoPage === null ? 'none' : origin(vmo, vmoPage);
  // The fault explains itself into a slot of its own, so that the event can say why it failed.
  const slot: ReasonSlot = { explain: false, reason: null };
  const status = explaining(slot, () => aspace.resolveFault(vpage, write));
  let result: FaultResult;
  if (status === ZX_ERR_SHOULD_WAIT) result = 'waiting_on_pager';
  else if (status !== ZX_OK) result = 'failed';
  else if (!write) {
    const frame = pteFrame(aspace.pageTable.get(vpage));
    result = frame === aspace.pmm.zeroFrame ? 'zero_page' : 'mapped';
  } else
    result = before === 'own' ? 'mapped' : before === 'ancestor' ? 'copied_on_write' : 'committed';
  const reason = result === 'failed' && slot.reason?.status === status ? slot.reason.text : null;
  observer({ vaddr, write, vmo, vmoPage, result, status, reason });
  return status;
}
