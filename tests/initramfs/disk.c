// SPDX-License-Identifier: GPL-2.0-only
/*
 * The tests' /init and its disk: mount the ext4 filesystem the test built (mkfs.ext4 -d), show
 * the files the test put there, leave a file of its own for the host to find (debugfs), and
 * time a raw sequential read for the bench. The disk is named by its path or, since a machine
 * booted directly also sees the firmware's own disk and the drivers probe in no fixed order,
 * by its filesystem's label (LABEL=name, as in fstab), found without udev: each block device
 * of /proc/partitions is read for an ext4 superblock with that label.
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

#define DISK_SB_OFFSET 1024 /* where an ext2/3/4 superblock starts */
#define DISK_SB_MAGIC 0x38 /* its offsets: s_magic (0xef53, little endian), s_volume_name */
#define DISK_SB_LABEL 0x78
#define DISK_LABEL_LEN 16

/* Whether the block device /dev/name holds an ext4 superblock labelled label. */
static int disk_has_label(const char *name, const char *label)
{
	unsigned char sb[DISK_SB_LABEL + DISK_LABEL_LEN];
	char path[80];

	snprintf(path, sizeof(path), "/dev/%s", name);
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return 0;
	ssize_t n = pread(fd, sb, sizeof(sb), DISK_SB_OFFSET);
	close(fd);
	return n == (ssize_t)sizeof(sb) && sb[DISK_SB_MAGIC] == 0x53 && sb[DISK_SB_MAGIC + 1] == 0xef &&
	       strncmp((char *)sb + DISK_SB_LABEL, label, DISK_LABEL_LEN) == 0;
}

/* The device path of spec ("/dev/vda" or "LABEL=name") once it is there, within the wait. */
static int disk_find(const char *spec, char *dev, size_t size)
{
	double deadline = init_now() + DISK_WAIT_S;
	char line[256], name[48];

	if (strncmp(spec, "LABEL=", 6) != 0) {
		snprintf(dev, size, "%s", spec);
		return init_wait_path(dev, DISK_WAIT_S);
	}
	do {
		FILE *f = fopen("/proc/partitions", "r");
		while (f && fgets(line, sizeof(line), f)) {
			/* "major minor  #blocks  name" */
			if (sscanf(line, "%*u %*u %*u %47s", name) == 1 && disk_has_label(name, spec + 6)) {
				fclose(f);
				snprintf(dev, size, "/dev/%s", name);
				return 0;
			}
		}
		if (f)
			fclose(f);
		init_nap(0.2);
	} while (init_now() < deadline);
	return -ETIMEDOUT;
}

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

int init_disk_files(const char *spec, const char *read_list, const char *write_name,
		    const char *content, int keep)
{
	char copy[256], dev[64];
	int rc = 0;

	if (disk_find(spec, dev, sizeof(dev))) {
		INIT_SAY("disk %s: failed: no such device after %d s\n", spec, DISK_WAIT_S);
		return -ENODEV;
	}
	mkdir(DISK_MOUNT, 0755);
	if (mount(dev, DISK_MOUNT, "ext4", 0, NULL)) {
		INIT_SAY("disk %s: failed: mount %s (ext4): %s\n", spec, dev, strerror(errno));
		return -errno;
	}
	INIT_SAY("disk %s: mounted %s (ext4) on " DISK_MOUNT "\n", spec, dev);
	snprintf(copy, sizeof(copy), "%s", read_list ? read_list : "");
	for (char *save, *name = strtok_r(copy, ",", &save); name; name = strtok_r(NULL, ",", &save))
		disk_print_file(name);
	if (write_name)
		rc = disk_write_file(write_name, content);
	if (keep && !rc) {
		INIT_SAY("disk %s: kept mounted on " DISK_MOUNT " for the workload\n", spec);
		return 0;
	}
	return init_disk_unmount(spec) ?: rc;
}

int init_disk_unmount(const char *spec)
{
	sync();
	if (umount(DISK_MOUNT)) {
		INIT_SAY("disk %s: failed: umount: %s\n", spec, strerror(errno));
		return -errno;
	}
	INIT_SAY("disk %s: unmounted\n", spec);
	return 0;
}

int init_disk_read_bench(const char *spec, unsigned long mib)
{
	char dev[64];
	void *buf;

	if (disk_find(spec, dev, sizeof(dev))) {
		INIT_SAY("disk %s: failed: no such device after %d s\n", spec, DISK_WAIT_S);
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
	INIT_SAY("disk %s: read %lu MiB of %s in %.3f s (%.1f MiB/s)\n", spec, mib, dev, t, mib / t);
	return 0;
}
