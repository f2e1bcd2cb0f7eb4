// Which objects can be waited on. Zircon's Dispatcher::is_waitable() is "the type's default
// rights include ZX_RIGHT_WAIT": a port, a VMAR, a resource, a BTI, a PMT, an IOMMU or a pager
// has no signals to wait for (zx_object_wait_one and zx_object_wait_async say NOT_SUPPORTED).

import {
  ZX_OBJ_TYPE_BTI,
  ZX_OBJ_TYPE_IOMMU,
  ZX_OBJ_TYPE_PAGER,
  ZX_OBJ_TYPE_PMT,
  ZX_OBJ_TYPE_PORT,
  ZX_OBJ_TYPE_RESOURCE,
  ZX_OBJ_TYPE_VMAR,
} from '../abi/constants.ts';
import type { Dispatcher } from './dispatcher.ts';

const NOT_WAITABLE = new Set<number>([
  ZX_OBJ_TYPE_PORT,
  ZX_OBJ_TYPE_VMAR,
  ZX_OBJ_TYPE_RESOURCE,
  ZX_OBJ_TYPE_BTI,
  ZX_OBJ_TYPE_PMT,
  ZX_OBJ_TYPE_IOMMU,
  ZX_OBJ_TYPE_PAGER,
]);

export function isWaitable(object: Dispatcher): boolean {
  return !NOT_WAITABLE.has(object.type);
}
