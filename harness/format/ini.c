// SPDX-License-Identifier: GPL-2.0
#include "format/ini.h"

#include "base/cleanup.h"

#include <ctype.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

/* Files are a few hundred lines at most; anything bigger is a mistake. */
#define INI_MAX_BYTES (1 << 20)

static char *trim(char *s)
{
	char *end;

	while (*s == ' ' || *s == '\t')
		s++;
	end = s + strlen(s);
	while (end > s && isspace((unsigned char)end[-1]))
		end--;
	*end = '\0';
	return s;
}

static bool key_char_ok(char c)
{
	return isalnum((unsigned char)c) || c == '_' || c == '.' || c == '-';
}

static int parse_line(struct ini *ini, char *line, int lineno, struct err *e)
{
	char *s = trim(line), *eq, *key;

	if (!*s || *s == '#' || *s == ';')
		return 0;
	if (*s == '[') {
		char *close = strchr(s, ']');
		struct ini_section *sec;

		if (!close)
			return err_at(e, ini->path, lineno, "section header without ']'");
		if (*trim(close + 1))
			return err_at(e, ini->path, lineno, "text after the section header: '%s'",
				      trim(close + 1));
		*close = '\0';
		sec = &ini->sections[ini->nsections++];
		sec->line = lineno;
		sec->name = trim(s + 1);
		if (!*sec->name)
			return err_at(e, ini->path, lineno, "empty section name");
		return 0;
	}
	eq = strchr(s, '=');
	if (!eq)
		return err_at(e, ini->path, lineno, "expected 'key = value' or '[section]', got '%s'", s);
	*eq = '\0';
	key = trim(s);
	if (!*key)
		return err_at(e, ini->path, lineno, "missing key before '='");
	for (s = key; *s; s++)
		if (!key_char_ok(*s))
			return err_at(e, ini->path, lineno, "invalid character '%c' in key '%s'", *s, key);
	if (!ini->nsections)
		return err_at(e, ini->path, lineno, "'%s' is outside any [section]", key);
	ini->entries[ini->nentries++] = (struct ini_entry){
		.line = lineno, .section = ini->nsections - 1, .key = key, .value = trim(eq + 1),
	};
	return 0;
}

/* Parse text already in memory (buf is taken over and freed by ini_free). */
static int ini_parse(struct ini *ini, const char *path, char *buf, struct err *e)
{
	int lines = 1, lineno = 0;
	char *p, *next;
	size_t cr;

	memset(ini, 0, sizeof(*ini));
	ini->path = path;
	ini->buf = buf;
	for (p = buf; *p; p++)
		if (*p == '\n')
			lines++;
	ini->sections = calloc((size_t)lines, sizeof(*ini->sections));
	ini->entries = calloc((size_t)lines, sizeof(*ini->entries));
	if (!ini->sections || !ini->entries)
		return err_set(e, ENOMEM, "reading %s", path);
	for (p = buf; p; p = next) {
		next = strchr(p, '\n');
		if (next)
			*next++ = '\0';
		lineno++;
		/* CRLF line ends are fine; a carriage return elsewhere is not. */
		cr = strcspn(p, "\r");
		if (p[cr] && p[cr + 1])
			return err_at(e, path, lineno, "stray carriage return inside the line");
		p[cr] = '\0';
		if (parse_line(ini, p, lineno, e))
			return -1;
	}
	return 0;
}

/* The whole of a regular file of at most INI_MAX_BYTES, NUL-terminated, into *out. */
static int read_whole(const char *path, char **out, size_t *len, struct err *e)
{
	auto_close int fd = -1;
	auto_free char *buf = NULL;
	struct stat st;
	ssize_t n;

	/* Looked at before it is opened: a FIFO or a device named like a case file is not. */
	if (stat(path, &st))
		return err_set(e, errno, "open `%s`", path);
	if (!S_ISREG(st.st_mode))
		return err_at(e, path, 0, "not a regular file (%s)", S_ISFIFO(st.st_mode) ? "a FIFO"
			      : S_ISDIR(st.st_mode) ? "a directory" : "a device or socket");
	/* Non-blocking all the same: it could have been replaced meanwhile. */
	fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0)
		return err_set(e, errno, "open `%s`", path);
	if (fstat(fd, &st) || !S_ISREG(st.st_mode))
		return err_at(e, path, 0, "not a regular file any more");
	buf = malloc(INI_MAX_BYTES + 1);
	if (!buf)
		return err_set(e, ENOMEM, "reading `%s`", path);
	for (*len = 0; *len <= INI_MAX_BYTES; *len += (size_t)n) {
		n = read(fd, buf + *len, INI_MAX_BYTES + 1 - *len);
		if (n == 0)
			break;
		if (n < 0 && errno == EINTR)
			n = 0;
		else if (n < 0)
			return err_set(e, errno, "read `%s`", path);
	}
	if (*len > INI_MAX_BYTES)
		return err_at(e, path, 0, "larger than %d bytes", INI_MAX_BYTES);
	buf[*len] = '\0';
	*out = buf;
	buf = NULL; /* the caller's now */
	return 0;
}

int ini_load(struct ini *ini, const char *path, struct err *e)
{
	size_t len = 0, skip = 0;
	char *buf = NULL;

	memset(ini, 0, sizeof(*ini));
	ini->path = path;
	if (read_whole(path, &buf, &len, e))
		return -1;
	if (memchr(buf, '\0', len)) {
		free(buf);
		return err_at(e, path, 0, "contains a NUL byte: not a text file");
	}
	/* A UTF-8 byte order mark (some editors write one) is not part of the text. */
	if (len >= 3 && !memcmp(buf, "\xef\xbb\xbf", 3))
		skip = 3;
	memmove(buf, buf + skip, len - skip + 1);
	return ini_parse(ini, path, buf, e);
}

const struct ini_entry *ini_earlier(const struct ini *ini, int i)
{
	int k;

	for (k = i - 1; k >= 0 && ini->entries[k].section == ini->entries[i].section; k--)
		if (!strcmp(ini->entries[k].key, ini->entries[i].key))
			return &ini->entries[k];
	return NULL;
}

void ini_free(struct ini *ini)
{
	free(ini->buf);
	free(ini->sections);
	free(ini->entries);
	memset(ini, 0, sizeof(*ini));
}
