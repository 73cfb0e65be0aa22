// SPDX-License-Identifier: GPL-2.0-only
/*
 * /init of the initramfs the Linux guest tests boot (build/initramfs/init.cpio.gz, and
 * modules.cpio.gz, the same with kernel modules). Static, no shell: it mounts what it needs,
 * drives the devices it is told to, prints markers the QEMU tests wait for, and powers the
 * machine (or the guest) off.
 *
 * Kernel command line options it reads:
 *   twinmon.marker=TEXT   printed as "TWINMON-INIT: TEXT" (default: the guest's hostname-less "up")
 *   twinmon.sleep=N       sleep N seconds, timed with CLOCK_MONOTONIC, before the final marker
 *   twinmon.spin=N        burn N million loop iterations of CPU before the final marker
 *   twinmon.end=poweroff|reboot|halt|triple   how to end (default poweroff)
 *   twinmon.parallel=N    burn N million iterations on every online CPU at once (parallel.c)
 *   twinmon.rounds=R      do that R times in a row (default 1; make bench keeps the fastest)
 *   twinmon.irqs=NAME     print the /proc/interrupts lines naming NAME (e.g. ttyS) at the end
 *   twinmon.boots=N       reboot until this is boot N, then end as twinmon.end says; the
 *                         count lives in CMOS RAM byte 0x70 (it survives a reset, as on a PC)
 *   twinmon.cat=PATH,...  print each line of each file as "TWINMON-INIT: cat: LINE" at the
 *                         end (e.g. /proc/bus/pci/devices: what PCI Linux found)
 *   twinmon.run=PROGRAM   after the device steps, run /usr/bin/PROGRAM (cyclictest, stress-ng:
 *                         `make initramfs-lab`) and print its results as a TWINMON-RESULT
 *                         block (workload.c; docs/lab.md)
 *   twinmon.args=A,B%2CC  its arguments, comma-separated, %XX for any byte (here "B,C")
 *   twinmon.settle=N      wait N seconds before running it (the lab's measuring guest: its
 *                         neighbour gets going first)
 *                         It runs in /tmp (a tmpfs), or with twinmon.disk in /mnt, the disk
 *                         staying mounted until it ends (an I/O workload: stress-ng --hdd)
 * Devices (in this order, before the sleep; modules.c, disk.c, net.c):
 *   twinmon.modules=A,B   load these modules (from the initramfs, with their dependencies)
 *   twinmon.disk=DEV      mount DEV (ext4; a path or LABEL=name) on /mnt, then:
 *   twinmon.read=F,G      print each file's first line: "read F: TEXT" ("read F: missing")
 *   twinmon.write=F       write F: "MARKER boot N"; then sync and unmount (after the
 *                         workload, when twinmon.run is given without twinmon.readbench)
 *   twinmon.readbench=MiB time an O_DIRECT sequential read of MiB from DEV (after unmounting)
 *   twinmon.ip=A.B.C.D/N  the first network interface's address; brought up
 *   twinmon.ping=A.B.C.D  ICMP echo until twinmon.pings (5) replies, printing each RTT, then
 *                         one request marked as the last
 *   twinmon.pong=N        stay up (the kernel answers echo) until the peer's last request;
 *                         fails if fewer than N were answered
 *   twinmon.net-wait=S    the deadline of ping and pong (default 300 s: the peer may boot)
 * A device step that fails prints "failed" and skips the steps after it, then init ends as
 * usual (the tests look for the lines they need).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/io.h>
#include <sys/mount.h>
#include <sys/reboot.h>
#include <sys/stat.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include "init.h"

#define DEBUG_EXIT_PORT 0xf4
#define INIT_EXIT_STATUS 0x20 /* QEMU exits (0x20 << 1) | 1; qemu-run reports 32 */
#define CMOS_INDEX 0x70
#define CMOS_DATA 0x71
#define CMOS_BOOTS 0x70 /* a CMOS RAM byte no firmware of ours uses */

static char cmdline[4096];

const char *init_option(const char *name)
{
	static char value[256];
	size_t n = strlen(name);

	for (char *p = cmdline; (p = strstr(p, name)) != NULL; p += n) {
		if ((p != cmdline && p[-1] != ' ') || p[n] != '=')
			continue;
		size_t len = strcspn(p + n + 1, " \n");
		if (len >= sizeof(value))
			len = sizeof(value) - 1;
		memcpy(value, p + n + 1, len);
		value[len] = '\0';
		return value;
	}
	return NULL;
}

static void init_console(void)
{
	mkdir("/dev", 0755);
	mkdir("/proc", 0555);
	if (mount("devtmpfs", "/dev", "devtmpfs", 0, NULL) && errno != EBUSY)
		perror("init: mount /dev");
	if (mount("proc", "/proc", "proc", 0, NULL))
		perror("init: mount /proc");
	int fd = open("/dev/console", O_RDWR);
	if (fd >= 0) {
		dup2(fd, 0);
		dup2(fd, 1);
		dup2(fd, 2);
		if (fd > 2)
			close(fd);
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
}

static void init_read_cmdline(void)
{
	FILE *f = fopen("/proc/cmdline", "r");
	if (f) {
		if (!fgets(cmdline, sizeof(cmdline), f))
			cmdline[0] = '\0';
		fclose(f);
	}
}

static void init_print_memtotal(void)
{
	char line[256];
	FILE *f = fopen("/proc/meminfo", "r");
	if (!f)
		return;
	while (fgets(line, sizeof(line), f)) {
		if (strncmp(line, "MemTotal:", 9) == 0) {
			printf("TWINMON-INIT: %s", line);
			break;
		}
	}
	fclose(f);
}

char *init_option_copy(const char *name, char *buf, size_t size)
{
	const char *s = init_option(name);
	if (!s)
		return NULL;
	snprintf(buf, size, "%s", s);
	return buf;
}

unsigned long init_option_ul(const char *name, unsigned long fallback)
{
	const char *s = init_option(name);
	return s ? strtoul(s, NULL, 0) : fallback;
}

double init_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

void init_nap(double seconds)
{
	struct timespec ts = { .tv_sec = (time_t)seconds };
	ts.tv_nsec = (long)((seconds - (double)ts.tv_sec) * 1e9);
	while (nanosleep(&ts, &ts) && errno == EINTR)
		;
}

int init_wait_path(const char *path, unsigned wait_s)
{
	double deadline = init_now() + wait_s;
	while (access(path, F_OK)) {
		if (init_now() >= deadline)
			return -ETIMEDOUT;
		init_nap(0.1);
	}
	return 0;
}

static void init_end(const char *how)
{
	fflush(stdout);
	/* A polled console sends from a kernel timer: wait until the UART has it all. */
	tcdrain(STDOUT_FILENO);
	sync();
	if (how && strcmp(how, "triple") == 0) {
		/* Ring 3 cannot triple fault; the closest a user can get is asking for a reset. */
		reboot(RB_AUTOBOOT);
	} else if (how && strcmp(how, "reboot") == 0) {
		reboot(RB_AUTOBOOT);
	} else if (how && strcmp(how, "halt") == 0) {
		reboot(RB_HALT_SYSTEM);
	} else {
		/* Under QEMU, report through isa-debug-exit so tests see a distinct status. */
		if (ioperm(DEBUG_EXIT_PORT, 4, 1) == 0)
			outl(INIT_EXIT_STATUS, DEBUG_EXIT_PORT);
		reboot(RB_POWER_OFF);
	}
	for (;;)
		pause();
}

/* The interrupt counts of the devices whose /proc/interrupts line names name. */
static void init_print_irqs(const char *name)
{
	char line[512];
	FILE *f = fopen("/proc/interrupts", "r");

	if (!f)
		return;
	while (fgets(line, sizeof(line), f)) {
		if (!strstr(line, name))
			continue;
		/* "  24:        123   IO-APIC   4-edge      ttyS0": the number after the colon. */
		char *colon = strchr(line, ':');
		unsigned long n = colon ? strtoul(colon + 1, NULL, 10) : 0;
		line[strcspn(line, "\n")] = '\0';
		printf("TWINMON-INIT: irq %s count %lu\n", name, n);
		/* And the whole line, blanks squeezed: the chip says MSI-X or I/O APIC line. */
		char *out = line;
		for (char *in = line; *in; in++)
			if (*in != ' ' || (out > line && out[-1] != ' '))
				*out++ = *in;
		*out = '\0';
		printf("TWINMON-INIT: irq %s line: %s\n", name, line);
	}
	fclose(f);
}

static void init_cat(const char *path)
{
	char line[512];
	FILE *f;

	/* sysfs only when asked for: the other tests' guests never touch it. */
	if (!strncmp(path, "/sys/", 5) && mount("sysfs", "/sys", "sysfs", 0, NULL) &&
	    errno != EBUSY)
		perror("init: mount /sys");
	f = fopen(path, "r");

	if (!f) {
		printf("TWINMON-INIT: cat: %s: %s\n", path, strerror(errno));
		return;
	}
	while (fgets(line, sizeof(line), f)) {
		line[strcspn(line, "\n")] = '\0';
		printf("TWINMON-INIT: cat: %s\n", line);
	}
	fclose(f);
}

/* This boot's number (1 for the first), counted in CMOS RAM; 1 if the CMOS is out of reach. */
static unsigned init_boot_count(void)
{
	unsigned n;

	if (ioperm(CMOS_INDEX, 2, 1) != 0)
		return 1;
	outb(CMOS_BOOTS, CMOS_INDEX);
	n = inb(CMOS_DATA) + 1u;
	outb(CMOS_BOOTS, CMOS_INDEX);
	outb((unsigned char)n, CMOS_DATA);
	return n;
}

/* The device steps, in order; the first that fails ends them (its line says why). 1 when the
 * disk stays mounted on /mnt for the workload, else 0. */
static int init_devices(unsigned boot)
{
	char dev[64], list[256], name[64], ip[32], content[128];
	const char *marker = init_option("twinmon.marker");
	int kept = 0;

	snprintf(content, sizeof(content), "%s boot %u", marker ? marker : "up", boot);
	if (init_option_copy("twinmon.modules", list, sizeof(list)) && init_modules_load(list))
		return 0;
	if (init_option_copy("twinmon.disk", dev, sizeof(dev))) {
		const char *r = init_option_copy("twinmon.read", list, sizeof(list));
		const char *w = init_option_copy("twinmon.write", name, sizeof(name));
		unsigned long mib = init_option_ul("twinmon.readbench", 0);
		/* The bench reads the raw device after the unmount: then the workload gets /tmp. */
		int keep = init_option("twinmon.run") && !mib;

		if (init_disk_files(dev, r, w, content, keep))
			return 0;
		kept = keep;
		if (mib && init_disk_read_bench(dev, mib))
			return 0;
	}
	unsigned wait = (unsigned)init_option_ul("twinmon.net-wait", 300);
	if (init_option_copy("twinmon.ip", ip, sizeof(ip)) && init_net_up(ip))
		return kept;
	if (init_option_copy("twinmon.ping", ip, sizeof(ip)) &&
	    init_net_ping(ip, (unsigned)init_option_ul("twinmon.pings", 5), wait))
		return kept;
	if (init_option("twinmon.pong"))
		init_net_pong((unsigned)init_option_ul("twinmon.pong", 0), wait);
	return kept;
}

int main(void)
{
	init_console();
	init_read_cmdline();
	const char *marker = init_option("twinmon.marker");
	printf("TWINMON-INIT: %s\n", marker ? marker : "up");
	init_print_memtotal();
	unsigned boot = init_option("twinmon.boots") ? init_boot_count() : 1;
	int on_disk = init_devices(boot);
	if (init_option("twinmon.run")) {
		char name[64], args[256], dev[64];

		init_option_copy("twinmon.run", name, sizeof(name));
		unsigned long settle = init_option_ul("twinmon.settle", 0);
		if (settle) {
			double t0 = init_now();
			init_nap((double)settle);
			INIT_SAY("settled %lu s, measured %.3f s\n", settle, init_now() - t0);
		}
		init_workload(name, init_option_copy("twinmon.args", args, sizeof(args)),
			      on_disk ? "/mnt" : "/tmp");
		if (on_disk && init_option_copy("twinmon.disk", dev, sizeof(dev)))
			init_disk_unmount(dev);
	}

	const char *s = init_option("twinmon.sleep");
	if (s) {
		double t0 = init_now();
		sleep((unsigned)atoi(s));
		printf("TWINMON-INIT: slept %s s, measured %.3f s\n", s, init_now() - t0);
	}
	s = init_option("twinmon.spin");
	if (s) {
		volatile unsigned long x = 0;
		unsigned long n = strtoul(s, NULL, 10) * 1000000UL;
		double t0 = init_now();
		for (unsigned long i = 0; i < n; i++)
			x += i;
		printf("TWINMON-INIT: spun %s M in %.3f s\n", s, init_now() - t0);
	}
	s = init_option("twinmon.parallel");
	if (s) {
		unsigned long millions = strtoul(s, NULL, 10), rounds = 1;

		/* init_option's answer lives in one buffer: read it before asking again. */
		s = init_option("twinmon.rounds");
		if (s)
			rounds = strtoul(s, NULL, 10);
		for (unsigned long i = 0; i < rounds; i++)
			init_parallel(millions);
	}
	s = init_option("twinmon.irqs");
	if (s)
		init_print_irqs(s);
	s = init_option("twinmon.cat");
	if (s) {
		char paths[256];

		snprintf(paths, sizeof(paths), "%s", s);
		for (char *save = NULL, *path = strtok_r(paths, ",", &save); path;
		     path = strtok_r(NULL, ",", &save))
			init_cat(path);
	}
	s = init_option("twinmon.boots");
	if (s) {
		printf("TWINMON-INIT: boot %u of %s\n", boot, s);
		if (boot < (unsigned)atoi(s)) {
			printf("TWINMON-INIT: rebooting\n");
			init_end("reboot");
		}
	}
	/* After a workload: the timer interrupts counted until now, so the lab can tell those of
	 * the init's own end (after the result block's count) from those of the power-off. */
	if (init_option("twinmon.run"))
		printf("TWINMON-INIT: timer_irqs %lld\n", init_timer_irqs());
	printf("TWINMON-INIT: done\n");
	init_end(init_option("twinmon.end"));
	return 0;
}
