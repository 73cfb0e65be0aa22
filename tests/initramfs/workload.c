// SPDX-License-Identifier: GPL-2.0-only
/*
 * The lab's workloads (docs/lab.md): run a program of the initramfs (built with
 * `make initramfs-lab`, which copies Debian's cyclictest and stress-ng in) with the arguments
 * of the kernel command line, and print what it measured as one machine-readable block:
 *
 *   TWINMON-RESULT-BEGIN workload=NAME version=1
 *   key=value                 (one per line; keys are [a-z0-9_.]+, values have no blanks)
 *   TWINMON-RESULT-END
 *
 * A reader takes the key=value lines between the two markers and skips any other line (a
 * kernel message may land in between on a shared console).
 *
 * twinmon.args holds the arguments separated by commas; %XX (two hex digits) stands for any
 * byte, so "%2C" is a comma in an argument and "%20" a blank (a blank would end the kernel
 * option). Example: twinmon.run=cyclictest twinmon.args=-D,5s,-i,1000,-h,400,-q,-m
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "init.h"

#define WORKLOAD_MAX_ARGS 64
#define WORKLOAD_OUT "/tmp/workload.out"
#define WORKLOAD_YAML "/tmp/stress-ng.yaml"
#define WORKLOAD_HIST_MAX 100000 /* cyclictest's own limit on -h */

static int workload_hex(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Split s in place at commas into argv[first..]; undo %XX. The count, or -EINVAL. */
int workload_split_args(char *s, char **argv, int first, int max)
{
	int n = first;

	argv[n] = NULL;
	if (!*s)
		return n;
	for (char *p = s;;) {
		char *out = p, *in = p;

		if (n >= max - 1)
			return -EINVAL;
		argv[n++] = p;
		for (; *in && *in != ','; in++) {
			if (*in == '%') {
				int hi = workload_hex(in[1]), lo = hi < 0 ? -1 : workload_hex(in[2]);

				if (lo < 0)
					return -EINVAL;
				*out++ = (char)(hi << 4 | lo);
				in += 2;
			} else {
				*out++ = *in;
			}
		}
		int more = *in == ',';
		*out = '\0';
		if (!more)
			break;
		p = in + 1;
	}
	argv[n] = NULL;
	return n;
}

/* cyclictest -q -h N: the histogram ("000012 000345 ..." a column per thread), then the
 * "# Min Latencies:" ... summary lines, one number per thread. */
void workload_cyclictest(FILE *f)
{
	static unsigned long long hist[WORKLOAD_HIST_MAX];
	unsigned long long total = 0, overflows = 0, min = ~0ULL, max = 0, avg_sum = 0, n = 0;
	unsigned long size = 0, threads = 0;
	unsigned long long avgs[64] = { 0 }, counts[64] = { 0 };
	char line[4096];

	while (fgets(line, sizeof(line), f)) {
		char *p = line, *end;

		if (line[0] != '#') {
			unsigned long us = strtoul(p, &end, 10);
			unsigned t = 0;

			if (end == p || us >= WORKLOAD_HIST_MAX)
				continue;
			for (p = end;; t++) {
				unsigned long long c = strtoull(p, &end, 10);
				if (end == p)
					break;
				hist[us] += c;
				if (t < 64)
					counts[t] += c;
				p = end;
			}
			if (us + 1 > size)
				size = us + 1;
			if (t > threads)
				threads = t;
			continue;
		}
		const char *keys[] = { "# Min Latencies:", "# Avg Latencies:", "# Max Latencies:",
				       "# Histogram Overflows:" };
		for (unsigned k = 0; k < 4; k++) {
			size_t len = strlen(keys[k]);
			if (strncmp(line, keys[k], len))
				continue;
			p = line + len;
			for (unsigned t = 0;; t++) {
				unsigned long long v = strtoull(p, &end, 10);
				if (end == p)
					break;
				p = end;
				if (k == 0 && v < min)
					min = v;
				if (k == 1 && t < 64)
					avgs[t] = v;
				if (k == 2 && v > max)
					max = v;
				if (k == 3) {
					overflows += v;
					if (t < 64)
						counts[t] += v;
				}
			}
		}
	}
	for (unsigned long us = 0; us < size; us++)
		total += hist[us];
	/* cyclictest's averages are per thread over all its samples, overflows included. */
	for (unsigned t = 0; t < threads && t < 64; t++) {
		avg_sum += avgs[t] * counts[t];
		n += counts[t];
	}
	printf("threads=%lu\nsamples=%llu\nhist_size_us=%lu\noverflows=%llu\n", threads,
	       total + overflows, size, overflows);
	if (total + overflows == 0) {
		printf("status=no-samples\n");
		return;
	}
	printf("min_us=%llu\navg_us=%llu\nmax_us=%llu\n", min, n ? avg_sum / n : 0ULL, max);
	/* Percentiles from the 1 us buckets: the first bucket whose running sum reaches the
	 * share. One that falls among the overflows is given as hist_size_us, a lower bound. */
	const struct {
		const char *key;
		unsigned per_mille;
	} pct[] = { { "p50", 500 }, { "p90", 900 }, { "p99", 990 }, { "p999", 999 } };
	for (unsigned k = 0; k < sizeof(pct) / sizeof(pct[0]); k++) {
		unsigned long long need = ((total + overflows) * pct[k].per_mille + 999) / 1000, run = 0;
		unsigned long us = 0;

		for (; us < size; us++) {
			run += hist[us];
			if (run >= need)
				break;
		}
		printf("%s_us=%lu\n", pct[k].key, us);
	}
	for (unsigned long us = 0; us < size; us++)
		if (hist[us])
			printf("hist_us.%lu=%llu\n", us, hist[us]);
	printf("status=ok\n");
}

/* stress-ng --yaml: under "metrics:", "- stressor: NAME" then "key: number" lines; each
 * becomes stressor.NAME.key (dashes made underscores). */
void workload_stress_ng(const char *yaml)
{
	char line[512], name[64] = "", key[128], value[128];
	int in_metrics = 0, stressors = 0;
	FILE *f = fopen(yaml, "r");

	if (!f) {
		printf("status=no-yaml\n");
		return;
	}
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, " stress-ng-version: %127s", value) == 1)
			printf("tool_version=%s\n", value);
		if (line[0] != ' ' && line[0] != '-') {
			in_metrics = !strncmp(line, "metrics:", 8);
			continue;
		}
		if (!in_metrics)
			continue;
		if (sscanf(line, " - stressor: %63s", name) == 1) {
			stressors++;
			continue;
		}
		if (!name[0] || sscanf(line, " %127[^:]: %127s", key, value) != 2)
			continue;
		for (char *p = key; *p; p++)
			if (*p == '-')
				*p = '_';
		printf("stressor.%s.%s=%s\n", name, key, value);
	}
	fclose(f);
	printf("stressors=%d\nstatus=%s\n", stressors, stressors ? "ok" : "no-metrics");
}

/*
 * /proc/interrupts: a header naming the online CPUs ("CPU0 CPU1"), then a line per source
 * with a count per CPU; "LOC:" is the local APIC timer's. Its counts summed, or -1 without a
 * header or that line.
 */
long long workload_timer_irqs(FILE *f)
{
	char line[4096];
	unsigned cpus = 0;

	while (fgets(line, sizeof(line), f)) {
		char *p = line, *end;
		long long sum = 0;

		if (!cpus) {
			for (char *c = strstr(p, "CPU"); c; c = strstr(c + 3, "CPU"))
				cpus++;
			if (!cpus)
				return -1;
			continue;
		}
		p += strspn(p, " ");
		if (strncmp(p, "LOC:", 4))
			continue;
		p += 4;
		for (unsigned c = 0; c < cpus; c++, p = end) {
			long long n = strtoll(p, &end, 10);

			if (end == p)
				return -1;
			sum += n;
		}
		return sum;
	}
	return -1;
}

long long init_timer_irqs(void)
{
	FILE *f = fopen("/proc/interrupts", "r");
	long long n;

	if (!f) {
		/* The init mounts /proc first thing; mounted on top again only if it failed. */
		mkdir("/proc", 0555);
		if (mount("proc", "/proc", "proc", 0, NULL))
			perror("init: mount /proc");
		f = fopen("/proc/interrupts", "r");
	}
	if (!f)
		return -1;
	n = workload_timer_irqs(f);
	fclose(f);
	return n;
}

/* Echo the program's output, so a failure says why. */
static void workload_echo(const char *path)
{
	char line[512];
	FILE *f = fopen(path, "r");

	while (f && fgets(line, sizeof(line), f))
		INIT_SAY("workload: %s", line);
	if (f)
		fclose(f);
}

int init_workload(const char *name, const char *args, const char *dir)
{
	static char buf[1024];
	char path[128], *argv[WORKLOAD_MAX_ARGS];
	int argc, status = 0, stress_ng = !strcmp(name, "stress-ng");
	int cyclictest = !strcmp(name, "cyclictest");

	if (strchr(name, '/')) {
		INIT_SAY("workload %s: a program name, not a path\n", name);
		return -EINVAL;
	}
	snprintf(path, sizeof(path), "/usr/bin/%s", name);
	snprintf(buf, sizeof(buf), "%s", args ? args : "");
	argv[0] = path;
	argc = workload_split_args(buf, argv, 1, WORKLOAD_MAX_ARGS - 3);
	if (argc < 0) {
		INIT_SAY("workload %s: bad twinmon.args (a %% needs two hex digits; at most %d)\n",
			 name, WORKLOAD_MAX_ARGS - 5);
		return -EINVAL;
	}
	if (stress_ng) {
		argv[argc++] = "--yaml";
		argv[argc++] = WORKLOAD_YAML;
	}
	argv[argc] = NULL;

	/* stress-ng writes temporary files in its working directory (dir: the tmpfs /tmp, or the
	 * disk's filesystem for an I/O workload); cyclictest wants sysfs
	 * for its CPU and NUMA views, and POSIX shared memory (shm_open: a tmpfs on /dev/shm)
	 * for the statistics segment it creates at start. */
	mkdir("/tmp", 01777);
	if (mount("tmpfs", "/tmp", "tmpfs", 0, "mode=1777") && errno != EBUSY)
		perror("init: mount /tmp");
	mkdir("/dev/shm", 01777);
	if (mount("tmpfs", "/dev/shm", "tmpfs", 0, "mode=1777") && errno != EBUSY)
		perror("init: mount /dev/shm");
	mkdir("/sys", 0555);
	if (mount("sysfs", "/sys", "sysfs", 0, NULL) && errno != EBUSY)
		perror("init: mount /sys");

	INIT_SAY("workload %s starting in %s\n", name, dir);
	double t0 = init_now();
	pid_t pid = fork();
	if (pid < 0) {
		perror("init: fork");
		return -errno;
	}
	if (pid == 0) {
		int fd = open(WORKLOAD_OUT, O_WRONLY | O_CREAT | O_TRUNC, 0644);
		if (fd >= 0)
			dup2(fd, 1);
		if (chdir(dir))
			_exit(126);
		execv(path, argv);
		fprintf(stderr, "init: exec %s: %s\n", path, strerror(errno));
		_exit(127);
	}
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	double took = init_now() - t0;
	int code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
	/* Right when the program ended, before the echo and the parsing add their own. */
	long long timer_irqs = init_timer_irqs();

	if (code)
		workload_echo(WORKLOAD_OUT);
	printf("TWINMON-RESULT-BEGIN workload=%s version=1\n", name);
	printf("exit=%d\nwall_s=%.3f\n", code, took);
	if (timer_irqs >= 0)
		printf("timer_irqs=%lld\n", timer_irqs);
	if (cyclictest) {
		FILE *f = fopen(WORKLOAD_OUT, "r");
		if (f) {
			workload_cyclictest(f);
			fclose(f);
		}
	} else if (stress_ng) {
		workload_stress_ng(WORKLOAD_YAML);
	}
	printf("TWINMON-RESULT-END\n");
	fflush(stdout);
	return code ? -EIO : 0;
}
