// SPDX-License-Identifier: GPL-2.0-only
/*
 * Kernel modules for the tests' /init, loaded the way modprobe would: scripts/mkinitramfs put
 * them under /lib/modules/<release>/ with a modules.dep written by depmod, whose line
 * "kernel/fs/ext4/ext4.ko: kernel/lib/crc16.ko kernel/fs/mbcache.ko ..." names a module's
 * dependencies. A module is loaded after its dependencies, each once; finit_module does the
 * work (the modules are stored uncompressed, so no decompression flag is needed).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "init.h"

#define MODULES_MAX 64

static char modules_dir[128];
static char *modules_dep; /* the whole of modules.dep, NUL-terminated */
static char modules_done[MODULES_MAX][64];
static unsigned modules_ndone;

/* "kernel/fs/ext4/ext4.ko" -> "ext4"; modprobe treats '-' and '_' alike, so do we. */
static void modules_name_of(const char *path, size_t len, char *name, size_t size)
{
	const char *base = path;
	for (size_t i = 0; i < len; i++)
		if (path[i] == '/')
			base = path + i + 1;
	size_t n = (size_t)(path + len - base);
	if (n >= 3 && memcmp(base + n - 3, ".ko", 3) == 0)
		n -= 3;
	if (n >= size)
		n = size - 1;
	for (size_t i = 0; i < n; i++)
		name[i] = base[i] == '-' ? '_' : base[i];
	name[n] = '\0';
}

static int modules_read_dep(void)
{
	struct utsname u;
	char path[256];

	if (uname(&u))
		return -errno;
	snprintf(modules_dir, sizeof(modules_dir), "/lib/modules/%s", u.release);
	snprintf(path, sizeof(path), "%s/modules.dep", modules_dir);
	FILE *f = fopen(path, "r");
	if (!f) {
		INIT_SAY("modules: failed: open %s: %s\n", path, strerror(errno));
		return -ENOENT;
	}
	size_t cap = 1 << 16, len = 0, n;
	char *buf = malloc(cap + 1);
	while (buf && (n = fread(buf + len, 1, cap - len, f)) > 0) {
		len += n;
		if (len == cap) {
			char *bigger = realloc(buf, (cap *= 2) + 1);
			if (!bigger)
				free(buf);
			buf = bigger;
		}
	}
	fclose(f);
	if (!buf)
		return -ENOMEM;
	buf[len] = '\0';
	modules_dep = buf;
	return 0;
}

/* The modules.dep line of module name (without its newline), or NULL. */
static const char *modules_line(const char *name, size_t *len)
{
	char found[64];

	for (const char *p = modules_dep; *p; p += *len + (p[*len] == '\n')) {
		*len = strcspn(p, "\n");
		size_t key = strcspn(p, ":");
		if (key > *len)
			continue;
		modules_name_of(p, key, found, sizeof(found));
		if (strcmp(found, name) == 0)
			return p;
	}
	return NULL;
}

static int modules_insert(const char *name, const char *path, size_t path_len, unsigned depth)
{
	char file[512];

	for (unsigned i = 0; i < modules_ndone; i++)
		if (strcmp(modules_done[i], name) == 0)
			return 0;
	if (depth > 16 || modules_ndone == MODULES_MAX)
		return -ELOOP;

	size_t len;
	const char *line = modules_line(name, &len);
	if (!line) {
		INIT_SAY("module %s: failed: not in modules.dep\n", name);
		return -ENOENT;
	}
	/* Dependencies first: the words after the colon. */
	const char *deps = strchr(line, ':') + 1;
	for (const char *d = deps; d < line + len;) {
		d += strspn(d, " ");
		size_t n = strcspn(d, " \n");
		if (n == 0)
			break;
		char dep[64];
		modules_name_of(d, n, dep, sizeof(dep));
		int rc = modules_insert(dep, d, n, depth + 1);
		if (rc)
			return rc;
		d += n;
	}

	snprintf(file, sizeof(file), "%s/%.*s", modules_dir, (int)path_len, path);
	int fd = open(file, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		INIT_SAY("module %s: failed: open %s: %s\n", name, file, strerror(errno));
		return -errno;
	}
	long rc = syscall(SYS_finit_module, fd, "", 0);
	int err = errno;
	close(fd);
	if (rc && err != EEXIST) {
		INIT_SAY("module %s: failed: %s\n", name, strerror(err));
		return -err;
	}
	INIT_SAY("module %s: %s\n", name, rc ? "already loaded" : "loaded");
	strcpy(modules_done[modules_ndone++], name);
	return 0;
}

int init_modules_load(const char *list)
{
	char copy[256];
	int failed = 0;

	if (!modules_dep) {
		int rc = modules_read_dep();
		if (rc)
			return rc;
	}
	snprintf(copy, sizeof(copy), "%s", list);
	for (char *save, *name = strtok_r(copy, ",", &save); name; name = strtok_r(NULL, ",", &save)) {
		char norm[64];
		size_t len;
		modules_name_of(name, strlen(name), norm, sizeof(norm));
		const char *line = modules_line(norm, &len);
		if (!line) {
			INIT_SAY("module %s: failed: not in modules.dep\n", norm);
			failed++;
			continue;
		}
		if (modules_insert(norm, line, strcspn(line, ":"), 0))
			failed++;
	}
	INIT_SAY("modules: %u loaded, %d failed\n", modules_ndone, failed);
	return failed ? -EIO : 0;
}
