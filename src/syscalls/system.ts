// zx_system_* calls.

/**
 * zx_system_get_page_size()
 * Returns the page size (a vDSO call in Zircon; it cannot fail).
 * Rights: none. Errors: none.
 */
export function zx_system_get_page_size(): number {
  return 4096;
}
