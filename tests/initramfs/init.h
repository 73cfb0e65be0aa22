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

/* disk.c: mount dev (ext4) on /mnt, print the files named in read_list (comma-separated),
 * write the file write_name with content, sync and unmount. */
int init_disk_files(const char *dev, const char *read_list, const char *write_name,
		    const char *content);
/* disk.c: time a sequential O_DIRECT read of mib MiB from the start of dev. */
int init_disk_read_bench(const char *dev, unsigned long mib);

/* net.c: give the first network interface address/prefix ("10.0.2.15/24") and bring it up. */
int init_net_up(const char *cidr);
/* net.c: ICMP echo to ip until count replies came back or wait_s seconds passed. */
int init_net_ping(const char *ip, unsigned count, unsigned wait_s);
/* net.c: stay up until the kernel has answered count echo requests, at most wait_s seconds. */
int init_net_pong(unsigned count, unsigned wait_s);

#endif
