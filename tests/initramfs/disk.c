// SPDX-License-Identifier: GPL-2.0-only
/*
 * The tests' /init and its disk: mount the ext4 filesystem the test built (mkfs.ext4 -d), show
 * the files the test put there, leave a file of its own for the host to find (debugfs), and
 * time a raw sequential read for the bench.
 */
#define _GNU_SOURCE /* O_DIRECT */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include "init.h"

#define DISK_MOUNT "/mnt"
#define DISK_WAIT_S 60 /* AHCI's SCSI scan and sd's probe run asynchronously after insmod */
#define DISK_CHUNK (1u << 20)

static void disk_print_file(const char *name)
{
	char path[256], line[256];

	snprintf(path, sizeof(path), DISK_MOUNT "/%s", name);
	FILE *f = fopen(path, "r");
	if (!f) {
		INIT_SAY("read %s: missing (%s)\n", name, strerror(errno));
		return;
	}
	if (!fgets(line, sizeof(line), f))
		line[0] = '\0';
	line[strcspn(line, "\n")] = '\0';
	fclose(f);
	INIT_SAY("read %s: %s\n", name, line);
}

static int disk_write_file(const char *name, const char *content)
{
	char path[256];

	snprintf(path, sizeof(path), DISK_MOUNT "/%s", name);
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd < 0) {
		INIT_SAY("write %s: failed: %s\n", name, strerror(errno));
		return -errno;
	}
	size_t len = strlen(content);
	int rc = 0;
	if (write(fd, content, len) != (ssize_t)len || write(fd, "\n", 1) != 1 || fsync(fd))
		rc = -errno;
	close(fd);
	if (rc)
		INIT_SAY("write %s: failed: %s\n", name, strerror(-rc));
	else
		INIT_SAY("wrote %s: %s\n", name, content);
	return rc;
}

int init_disk_files(const char *dev, const char *read_list, const char *write_name,
		    const char *content)
{
	char copy[256];
	int rc = 0;

	if (init_wait_path(dev, DISK_WAIT_S)) {
		INIT_SAY("disk %s: failed: no such device after %d s\n", dev, DISK_WAIT_S);
		return -ENODEV;
	}
	mkdir(DISK_MOUNT, 0755);
	if (mount(dev, DISK_MOUNT, "ext4", 0, NULL)) {
		INIT_SAY("disk %s: failed: mount ext4: %s\n", dev, strerror(errno));
		return -errno;
	}
	INIT_SAY("disk %s: mounted ext4 on " DISK_MOUNT "\n", dev);
	snprintf(copy, sizeof(copy), "%s", read_list ? read_list : "");
	for (char *save, *name = strtok_r(copy, ",", &save); name; name = strtok_r(NULL, ",", &save))
		disk_print_file(name);
	if (write_name)
		rc = disk_write_file(write_name, content);
	sync();
	if (umount(DISK_MOUNT)) {
		INIT_SAY("disk %s: failed: umount: %s\n", dev, strerror(errno));
		return -errno;
	}
	INIT_SAY("disk %s: unmounted\n", dev);
	return rc;
}

int init_disk_read_bench(const char *dev, unsigned long mib)
{
	void *buf;

	if (init_wait_path(dev, DISK_WAIT_S)) {
		INIT_SAY("disk %s: failed: no such device after %d s\n", dev, DISK_WAIT_S);
		return -ENODEV;
	}
	/* O_DIRECT: every chunk comes from the device, none from the page cache. */
	int fd = open(dev, O_RDONLY | O_DIRECT);
	if (fd < 0 || posix_memalign(&buf, 4096, DISK_CHUNK)) {
		INIT_SAY("disk %s: failed: open for reading: %s\n", dev, strerror(errno));
		return -EIO;
	}
	double t0 = init_now();
	unsigned long done = 0;
	while (done < mib) {
		ssize_t n = read(fd, buf, DISK_CHUNK);
		if (n != (ssize_t)DISK_CHUNK) {
			INIT_SAY("disk %s: failed: read at %lu MiB: %s\n", dev, done,
				 n < 0 ? strerror(errno) : "short read (disk too small?)");
			close(fd);
			free(buf);
			return -EIO;
		}
		done++;
	}
	double t = init_now() - t0;
	close(fd);
	free(buf);
	INIT_SAY("disk %s: read %lu MiB in %.3f s (%.1f MiB/s)\n", dev, mib, t, mib / t);
	return 0;
}
