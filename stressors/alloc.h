/* SPDX-License-Identifier: GPL-2.0 */
/* Allocating memory with a chosen call and faulting it in with a chosen method. */
#ifndef OOMLAB_ALLOC_H
#define OOMLAB_ALLOC_H

#include <stddef.h>

enum alloc_call { ALLOC_MALLOC, ALLOC_MMAP, ALLOC_BRK };

enum touch_mode {
	TOUCH_PAGE,     /* one write per page: one page fault each, the classic way */
	TOUCH_MEMSET,   /* write every byte */
	TOUCH_POPULATE, /* MAP_POPULATE for mmap, MADV_POPULATE_WRITE otherwise */
	TOUCH_NONE,     /* leave the pages unfaulted */
};

/* Names as on the command line: "malloc|mmap|brk", "page|memset|populate|none". */
enum alloc_call alloc_call_named(const char *name);
enum touch_mode touch_mode_named(const char *name);

/* Allocate len bytes and touch them. Returns the memory, or NULL with errno set. */
void *alloc_touched(enum alloc_call call, enum touch_mode touch, size_t len);

/*
 * Allocate size bytes in chunks of at most chunk bytes, each touched. *got: what was
 * allocated. Returns 0, or -1 with errno when a chunk failed. Uses no stdio (safe in a
 * vfork child).
 */
int alloc_chunks(enum alloc_call call, enum touch_mode touch, size_t size, size_t chunk,
		 size_t *got);

/*
 * Fault in [p, p + len). TOUCH_POPULATE falls back to one write per page on kernels
 * without MADV_POPULATE_WRITE (before 5.14). Returns 0, or -1 with errno.
 */
int touch_memory(void *p, size_t len, enum touch_mode mode);

#endif
