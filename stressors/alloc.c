// SPDX-License-Identifier: GPL-2.0
/* Allocation and page touching shared by the stressors. */
#include "alloc.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

enum alloc_call alloc_call_named(const char *name)
{
	if (!strcmp(name, "mmap"))
		return ALLOC_MMAP;
	if (!strcmp(name, "brk"))
		return ALLOC_BRK;
	return ALLOC_MALLOC;
}

enum touch_mode touch_mode_named(const char *name)
{
	if (!strcmp(name, "memset"))
		return TOUCH_MEMSET;
	if (!strcmp(name, "populate"))
		return TOUCH_POPULATE;
	if (!strcmp(name, "none"))
		return TOUCH_NONE;
	return TOUCH_PAGE;
}

static void touch_pages(volatile char *p, size_t len)
{
	size_t page = (size_t)sysconf(_SC_PAGESIZE), off;

	for (off = 0; off < len; off += page)
		p[off] = 1;
	if (len)
		p[len - 1] = 1;
}

int touch_memory(void *p, size_t len, enum touch_mode mode)
{
	uintptr_t page = (uintptr_t)sysconf(_SC_PAGESIZE);
	uintptr_t start, end;

	switch (mode) {
	case TOUCH_NONE:
		return 0;
	case TOUCH_PAGE:
		touch_pages(p, len);
		return 0;
	case TOUCH_MEMSET:
		memset(p, 1, len);
		return 0;
	case TOUCH_POPULATE:
		/* madvise works on whole pages: populate the inner ones, write the edges. */
		start = ((uintptr_t)p + page - 1) & ~(page - 1);
		end = ((uintptr_t)p + len) & ~(page - 1);
		if (end > start && madvise((void *)start, end - start, MADV_POPULATE_WRITE)) {
			if (errno != EINVAL)
				return -1;
			touch_pages(p, len); /* kernel before 5.14 */
			return 0;
		}
		if (len) {
			((volatile char *)p)[0] = 1;
			((volatile char *)p)[len - 1] = 1;
		}
		return 0;
	}
	return 0;
}

/*
 * Grow the heap with the raw brk system call. glibc's sbrk() cannot see a brk that
 * fails with an errno (seccomp can inject one; the kernel itself never returns one, it
 * leaves the break where it was), so both kinds of failure are told apart here.
 * Nothing may call malloc after this moves the break behind glibc's back: the
 * stressors print through a static stdout buffer.
 */
static void *brk_grow(size_t len)
{
	static char *top;
	long r;

	/* syscall() turns an error return into -1 with errno set */
	if (!top) {
		r = syscall(SYS_brk, 0);
		if (r == -1)
			return NULL;
		top = (char *)r;
	}
	r = syscall(SYS_brk, top + len);
	if (r == -1)
		return NULL; /* injected */
	if ((char *)r < top + len) {
		errno = ENOMEM; /* the kernel refused and kept the old break */
		return NULL;
	}
	top += len;
	return top - len;
}

void *alloc_touched(enum alloc_call call, enum touch_mode touch, size_t len)
{
	void *p;

	switch (call) {
	case ALLOC_MMAP:
		p = mmap(NULL, len, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS | (touch == TOUCH_POPULATE ? MAP_POPULATE : 0),
			 -1, 0);
		if (p == MAP_FAILED)
			return NULL;
		/* MAP_POPULATE does not report failures: a write per page finishes the job. */
		if (touch == TOUCH_POPULATE)
			touch = TOUCH_PAGE;
		break;
	case ALLOC_BRK:
		p = brk_grow(len);
		if (!p)
			return NULL;
		break;
	default:
		p = malloc(len);
		if (!p) {
			errno = ENOMEM;
			return NULL;
		}
		break;
	}
	if (touch_memory(p, len, touch))
		return NULL;
	return p;
}

int alloc_chunks(enum alloc_call call, enum touch_mode touch, size_t size, size_t chunk,
		 size_t *got)
{
	for (*got = 0; *got < size;) {
		size_t len = size - *got < chunk ? size - *got : chunk;

		if (!alloc_touched(call, touch, len))
			return -1;
		*got += len;
	}
	return 0;
}
