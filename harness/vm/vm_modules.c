// SPDX-License-Identifier: GPL-2.0
#include "vm/vm_modules.h"

#include "base/child.h"
#include "base/cleanup.h"
#include "vm/vm_cpio.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

/*
 * What the guest loads; each brings what it depends on ("depends="). The disk needs the
 * first four: ext4 asks the crypto API for crc32c when it mounts (a "softdep", not a
 * dependency; a kernel may have it by another name or in its library, so it is optional).
 * FUSE is for the `stuck` stressor, whose case skips without it. An optional module that
 * cannot be read is left out, and said, and the others still go.
 */
static const struct {
	const char *name;
	bool optional;           /* a kernel without it still gets the others */
} guest_modules[] = {
	{ "virtio_pci", false }, { "virtio_blk", false }, { "crc32c_generic", true },
	{ "ext4", false }, { "fuse", true },
};

/* A compressed module and the program that opens it (Debian 12's 6.12 ships .ko.xz). */
static const struct {
	const char *suffix;
	const char *program;
} packings[] = {
	{ "", NULL }, { ".xz", "xz" }, { ".zst", "zstd" }, { ".gz", "gzip" },
};

/* A module's name as the kernel compares them: '-' is '_', no folder, no .ko[.xz]. */
static void module_name(const char *path, char *out, size_t len)
{
	const char *base = strrchr(path, '/');
	char *ko;

	snprintf(out, len, "%s", base ? base + 1 : path);
	ko = strstr(out, ".ko");
	if (ko)
		*ko = '\0';
	for (char *p = out; *p; p++)
		if (*p == '-')
			*p = '_';
}

/* The line of a modules.order or modules.builtin list that names the module; false: none. */
static bool list_finds(const char *list, const char *name, char *line, size_t len)
{
	auto_fclose FILE *f = fopen(list, "re");
	char found[128];

	while (f && fgets(line, (int)len, f)) {
		line[strcspn(line, "\n")] = '\0';
		module_name(line, found, sizeof(found));
		if (!strcmp(found, name))
			return true;
	}
	return false;
}

/* The kernel's modules: beside an unpacked package's image, else the host's. */
static bool find_modules_dir(const char *kernel, const char *version, char *out, size_t len)
{
	char image[PATH_MAX], candidates[2][PATH_MAX + 160];

	snprintf(image, sizeof(image), "%s", kernel);
	snprintf(candidates[0], sizeof(candidates[0]), "%s/../lib/modules/%s", dirname(image), version);
	snprintf(candidates[1], sizeof(candidates[1]), "/lib/modules/%s", version);
	for (int i = 0; i < 2; i++) {
		char order[PATH_MAX + 200];

		snprintf(order, sizeof(order), "%s/modules.order", candidates[i]);
		if (access(order, R_OK) == 0) {
			if (!realpath(candidates[i], out))
				snprintf(out, len, "%s", candidates[i]);
			return true;
		}
	}
	return false;
}

/* Read all of fd into a growing buffer. */
static int read_all(int fd, char **data, size_t *size)
{
	size_t cap = 1 << 20;
	char *buf = malloc(cap);
	ssize_t n;

	*size = 0;
	while (buf) {
		if (*size == cap) {
			char *more = realloc(buf, cap *= 2);

			if (!more)
				break;
			buf = more;
		}
		n = read(fd, buf + *size, cap - *size);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			if (n == 0) {
				*data = buf;
				return 0;
			}
			break;
		}
		*size += (size_t)n;
	}
	free(buf);
	return -1;
}

/* `program -dc path`'s output: a compressed module, opened. */
static int decompress(const char *program, const char *path, char **data, size_t *size, struct err *e)
{
	int fds[2], status = 0, rc, err;
	pid_t pid;

	if (pipe2(fds, O_CLOEXEC))
		return err_set(e, errno, "pipe for %s", program);
	pid = fork();
	err = errno;
	if (pid == 0) {
		const struct child_setup setup = { .stdout_fd = fds[1], .stderr_fd = -1, .keep_fd = -1 };

		if (child_setup(&setup) == 0)
			execlp(program, program, "-dc", "--", path, (char *)NULL);
		_exit(127);
	}
	close(fds[1]);
	rc = pid < 0 ? -1 : read_all(fds[0], data, size);
	err = pid < 0 ? err : errno; /* (before close and waitpid change it) */
	close(fds[0]);
	if (pid < 0)
		return err_set(e, err, "fork for %s", program);
	waitpid(pid, &status, 0);
	if (rc == 0 && WIFEXITED(status) && WEXITSTATUS(status) == 0)
		return 0;
	if (rc == 0)
		free(*data);
	*data = NULL;
	if (WIFEXITED(status) && WEXITSTATUS(status) == 127)
		return err_set(e, 0, "`%s` needs %s to open it, and %s cannot be run (install it)",
			       path, program, program);
	return err_set(e, rc ? err : 0, "%s -dc `%s` failed", program, path);
}

/* The module's file (found through modules.order), read and opened. */
static int read_module(const char *dir, const char *name, struct vm_module *mod, struct err *e)
{
	char list[PATH_MAX + 32], line[PATH_MAX];

	snprintf(list, sizeof(list), "%s/modules.order", dir);
	if (!list_finds(list, name, line, sizeof(line)))
		return err_set(e, 0, "`%s` lists no module %s", list, name);
	snprintf(mod->name, sizeof(mod->name), "%s", name);
	for (size_t i = 0; i < sizeof(packings) / sizeof(packings[0]); i++) {
		char path[2 * PATH_MAX + 16];
		auto_close int fd = -1;

		snprintf(path, sizeof(path), "%s/%s%s", dir, line, packings[i].suffix);
		if (access(path, R_OK))
			continue;
		if (packings[i].program)
			return decompress(packings[i].program, path, &mod->data, &mod->size, e);
		fd = open(path, O_RDONLY | O_CLOEXEC);
		if (fd < 0 || read_all(fd, &mod->data, &mod->size))
			return err_set(e, errno, "read `%s`", path);
		return 0;
	}
	return err_set(e, ENOENT, "module %s: `%s/%s` (or .xz, .zst, .gz)", name, dir, line);
}

/* The module's "depends=" (its .modinfo), copied into out; "" when it has none. */
static void module_depends(const struct vm_module *mod, char *out, size_t len)
{
	static const char key[] = "depends=";
	const char *p = mod->data, *end = mod->data + mod->size;

	out[0] = '\0';
	while ((p = memmem(p, (size_t)(end - p), key, sizeof(key) - 1))) {
		if (p == mod->data || p[-1] == '\0') {
			p += sizeof(key) - 1;
			snprintf(out, len, "%.*s", (int)strnlen(p, (size_t)(end - p)), p);
			return;
		}
		p++;
	}
}

/* Add the module after what it depends on: built-in and loaded ones are skipped. */
static int add_module(struct vm_modules *m, const char *name, int depth, struct err *e)
{
	char list[PATH_MAX + 32], line[PATH_MAX], depends[512], *save = NULL;
	struct vm_module mod = { .data = NULL };

	snprintf(list, sizeof(list), "%s/modules.builtin", m->dir);
	if (list_finds(list, name, line, sizeof(line)))
		return 0;
	for (int i = 0; i < m->n; i++)
		if (!strcmp(m->mod[i].name, name))
			return 0;
	if (depth > 8 || m->n == VM_MODULES_MAX)
		return err_set(e, 0, "module %s: its dependencies go too deep or are too many", name);
	if (read_module(m->dir, name, &mod, e))
		return -1;
	module_depends(&mod, depends, sizeof(depends));
	for (char *dep = strtok_r(depends, ",", &save); dep; dep = strtok_r(NULL, ",", &save)) {
		char dep_name[64];

		module_name(dep, dep_name, sizeof(dep_name));
		if (add_module(m, dep_name, depth + 1, e)) {
			free(mod.data);
			return err_wrap(e, "a dependency of %s", name);
		}
	}
	if (m->n == VM_MODULES_MAX) { /* its dependencies took the last places */
		free(mod.data);
		return err_set(e, 0, "module %s: more than %d modules with its dependencies", name,
			       VM_MODULES_MAX);
	}
	m->mod[m->n++] = mod;
	return 0;
}

int vm_modules_load(const char *kernel, const char *version, struct vm_modules *m, struct err *e)
{
	memset(m, 0, sizeof(*m));
	if (!find_modules_dir(kernel, version, m->dir, sizeof(m->dir)))
		return 0;
	for (size_t i = 0; i < sizeof(guest_modules) / sizeof(guest_modules[0]); i++) {
		const char *name = guest_modules[i].name;
		char list[PATH_MAX + 32], line[PATH_MAX];

		snprintf(list, sizeof(list), "%s/modules.builtin", m->dir);
		if (list_finds(list, name, line, sizeof(line))) {
			size_t at = strlen(m->builtin);

			snprintf(m->builtin + at, sizeof(m->builtin) - at, "%s%s", at ? " " : "", name);
			continue;
		}
		snprintf(list, sizeof(list), "%s/modules.order", m->dir);
		if (guest_modules[i].optional && !list_finds(list, name, line, sizeof(line)))
			continue;
		if (guest_modules[i].optional && add_module(m, name, 0, e)) {
			size_t at = strlen(m->left_out);

			snprintf(m->left_out + at, sizeof(m->left_out) - at, "%s%s", at ? "; " : "", e->msg);
			continue;
		}
		if (add_module(m, name, 0, e)) {
			vm_modules_free(m);
			return err_wrap(e, "the guest's modules from `%s`", m->dir);
		}
	}
	return 0;
}

int vm_modules_write(int fd, const struct vm_modules *m)
{
	if (!m->n)
		return 0;
	if (cpio_header(fd, "oomlab/modules", 040755, 0))
		return -1;
	for (int i = 0; i < m->n; i++) {
		char name[128];

		/* the guest loads them in the order of their names */
		snprintf(name, sizeof(name), "oomlab/modules/%02d-%s.ko", i, m->mod[i].name);
		if (cpio_entry(fd, name, 0100644, m->mod[i].data, m->mod[i].size))
			return -1;
	}
	return 0;
}

void vm_modules_describe(const struct vm_modules *m, const char *version, char *out, size_t len)
{
	size_t at;

	if (!m->dir[0]) {
		snprintf(out, len, "no modules of %s found (beside the image or in /lib/modules): the "
			 "guest has a disk only if virtio_pci, virtio_blk, ext4 and crc32c are built in",
			 version);
		return;
	}
	at = (size_t)snprintf(out, len, "the guest's modules from %s:", m->dir);
	for (int i = 0; i < m->n && at < len; i++)
		at += (size_t)snprintf(out + at, len - at, " %s", m->mod[i].name);
	if (!m->n && at < len)
		at += (size_t)snprintf(out + at, len - at, " none needed");
	if (m->builtin[0] && at < len)
		at += (size_t)snprintf(out + at, len - at, " (built in: %s)", m->builtin);
	if (m->left_out[0] && at < len)
		snprintf(out + at, len - at, " (left out: %s)", m->left_out);
}

void vm_modules_free(struct vm_modules *m)
{
	for (int i = 0; i < m->n; i++)
		free(m->mod[i].data);
	m->n = 0;
}
