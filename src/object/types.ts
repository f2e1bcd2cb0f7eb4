// Branded numbers: a handle value, a koid and a virtual address cannot be mixed up.

declare const brand: unique symbol;
type Brand<T, B extends string> = T & { readonly [brand]: B };

/** A handle value in one process's table. */
export type HandleValue = Brand<number, 'HandleValue'>;
/** A kernel object id, unique for the life of the kernel. */
export type Koid = Brand<number, 'Koid'>;
/** A virtual address in a process's address space. */
export type Vaddr = Brand<bigint, 'Vaddr'>;
