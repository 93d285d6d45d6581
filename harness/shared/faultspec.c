// SPDX-License-Identifier: GPL-2.0
#include "shared/faultspec.h"

#include <errno.h>
#include <seccomp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "shared/arrays.h"
#include "shared/words.h"

/* The errnos a fault may inject: what allocation, locking and process calls return. */
static const struct { const char *name; int err; } errnos[] = {
	{ "ENOMEM", ENOMEM }, { "EAGAIN", EAGAIN }, { "EPERM", EPERM }, { "EACCES", EACCES },
	{ "EINTR", EINTR }, { "EINVAL", EINVAL }, { "ENOSPC", ENOSPC }, { "EMFILE", EMFILE },
	{ "ENFILE", ENFILE }, { "EBUSY", EBUSY }, { "EIO", EIO }, { "ENOSYS", ENOSYS },
	{ "EFAULT", EFAULT }, { "E2BIG", E2BIG },
};

const char *errno_name(int err)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(errnos); i++)
		if (errnos[i].err == err)
			return errnos[i].name;
	return NULL;
}

int errno_named(const char *name)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(errnos); i++)
		if (!strcmp(errnos[i].name, name))
			return errnos[i].err;
	return -1;
}

static int parse_count(const char *s, long *out)
{
	char *end;

	if (*s < '1' || *s > '9')
		return -1;
	*out = strtol(s, &end, 10);
	return *end ? -1 : 0;
}

int fault_parse(const char *text, char sep, struct fault *f, char *msg, size_t len)
{
	char buf[128], *word[4], *save, *tok, seps[2] = { sep, '\0' };
	const char *when, *err;
	int n = 0;

	memset(f, 0, sizeof(*f));
	snprintf(buf, sizeof(buf), "%s", text);
	for (tok = strtok_r(buf, seps, &save); tok && n < 4; tok = strtok_r(NULL, seps, &save))
		word[n++] = tok;
	if (tok || (n != 3 && !(n == 4 && !strcmp(word[1], "after")))) {
		snprintf(msg, len, "'%s': expected SYSCALL WHEN ERRNO, e.g. mmap 5 ENOMEM, mlock every "
			 "EPERM, clone after 10 EAGAIN", text);
		return -1;
	}
	when = word[1];
	err = word[n - 1];
	if (n == 4) {
		f->when = FAULT_AFTER;
		if (parse_count(word[2], &f->n))
			goto bad_when;
	} else if (!strcmp(when, "every") || !strcmp(when, "*")) {
		f->when = FAULT_EVERY;
	} else if (starts_with(when, "after")) {
		f->when = FAULT_AFTER;
		if (parse_count(when + 5, &f->n))
			goto bad_when;
	} else {
		f->when = FAULT_NTH;
		if (parse_count(when, &f->n))
			goto bad_when;
	}
	snprintf(f->syscall, sizeof(f->syscall), "%s", word[0]);
	f->nr = seccomp_syscall_resolve_name(word[0]);
	if (f->nr == __NR_SCMP_ERROR) {
		snprintf(msg, len, "'%s': unknown system call '%s'", text, word[0]);
		return -1;
	}
	f->err = errno_named(err);
	if (f->err < 0) {
		char known[160];
		size_t i, used = 0;

		for (i = 0; i < ARRAY_SIZE(errnos) && used < sizeof(known); i++)
			used += (size_t)snprintf(known + used, sizeof(known) - used, "%s%s",
						 i ? ", " : "", errnos[i].name);
		snprintf(msg, len, "'%s': unknown errno '%s' (known: %s)", text, err, known);
		return -1;
	}
	return 0;
bad_when:
	snprintf(msg, len, "'%s': when must be a call number (5), every, or after N", text);
	return -1;
}

void fault_format(const struct fault *f, char *out, size_t len)
{
	if (f->when == FAULT_EVERY)
		snprintf(out, len, "%s:every:%s", f->syscall, errno_name(f->err));
	else if (f->when == FAULT_AFTER)
		snprintf(out, len, "%s:after%ld:%s", f->syscall, f->n, errno_name(f->err));
	else
		snprintf(out, len, "%s:%ld:%s", f->syscall, f->n, errno_name(f->err));
}

bool fault_counted(const struct fault *f)
{
	return f->when != FAULT_EVERY;
}

bool fault_next_fails(struct fault *f)
{
	bool fail;

	f->calls++;
	fail = f->when == FAULT_EVERY || (f->when == FAULT_NTH && f->calls == f->n) ||
	       (f->when == FAULT_AFTER && f->calls > f->n);
	f->failed += fail;
	return fail;
}
