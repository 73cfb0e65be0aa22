/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The tests' /init: what its files share. Every line a test waits for starts with
 * "TWINMON-INIT: " (INIT_SAY); the options come from the kernel command line (init_option).
 */
#ifndef TWINMON_TESTS_INIT_H
#define TWINMON_TESTS_INIT_H

#include <stdio.h>

#define INIT_SAY(...) printf("TWINMON-INIT: " __VA_ARGS__)

/* The value of "name=value" on the kernel command line, or NULL (a static buffer). */
const char *init_option(const char *name);
/* init_option copied into buf (so that the next call keeps it): buf, or NULL when absent. */
char *init_option_copy(const char *name, char *buf, size_t size);
/* init_option as a number, or fallback when absent. */
unsigned long init_option_ul(const char *name, unsigned long fallback);
/* CLOCK_MONOTONIC in seconds. */
double init_now(void);
/* Sleep for a fraction of a second. */
void init_nap(double seconds);
/* Wait until path exists, at most wait_s seconds: 0 when it does, -ETIMEDOUT otherwise. */
int init_wait_path(const char *path, unsigned wait_s);

/* modules.c: load each comma-separated module after its dependencies (modules.dep). */
int init_modules_load(const char *list);

/* disk.c: mount the disk spec names ("/dev/vda" or "LABEL=name"; ext4) on /mnt, print the
 * files named in read_list (comma-separated), write the file write_name with content, sync
 * and unmount; with keep, leave it mounted (for the workload: init_disk_unmount after it). */
int init_disk_files(const char *spec, const char *read_list, const char *write_name,
		    const char *content, int keep);
/* disk.c: sync and unmount /mnt, the disk spec names. */
int init_disk_unmount(const char *spec);
/* disk.c: time a sequential O_DIRECT read of mib MiB from the start of the disk spec names. */
int init_disk_read_bench(const char *spec, unsigned long mib);

/* net.c: give the first network interface address/prefix ("10.0.2.15/24") and bring it up. */
int init_net_up(const char *cidr);
/* net.c: ICMP echo to ip until count replies came back, then one marked as the last (until it
 * is answered), all within wait_s seconds. */
int init_net_ping(const char *ip, unsigned count, unsigned wait_s);
/* net.c: stay up while the kernel answers echo requests, until the last one (init_net_ping)
 * came, at most wait_s seconds; fails when fewer than count were answered. */
int init_net_pong(unsigned count, unsigned wait_s);

/* parallel.c: a busy loop of millions M iterations on every online CPU at once. */
void init_parallel(unsigned long millions);

/* workload.c: run /usr/bin/name with args (comma-separated, %XX escapes; may be NULL) in the
 * working directory dir (/tmp, or /mnt on a disk) and print its TWINMON-RESULT block. 0 when
 * it exited 0. */
int init_workload(const char *name, const char *args, const char *dir);
/* workload.c: split s in place at commas into argv[first..], undoing %XX; NULL-terminated.
 * The new count, or -EINVAL (a bad escape, more than max - 1 entries). */
int workload_split_args(char *s, char **argv, int first, int max);
/* workload.c: the key=value lines of a result block from cyclictest -q -h N's output, and
 * from stress-ng's --yaml file (tests/cli/init-workload.sh runs them on the host). */
void workload_cyclictest(FILE *f);
void workload_stress_ng(const char *yaml);
/* workload.c: the LOC line of /proc/interrupts (the local APIC timer's interrupts) summed over
 * the CPUs its header names; -1 when there is none. */
long long workload_timer_irqs(FILE *f);
/* workload.c: the guest's own count of its local APIC timer interrupts so far, from
 * /proc/interrupts (mounted if it is not); -1 if it cannot be read. For the lab's cross-check
 * with the monitor's count (docs/lab.md). */
long long init_timer_irqs(void);

#endif
