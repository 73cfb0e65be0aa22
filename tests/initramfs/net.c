// SPDX-License-Identifier: GPL-2.0-only
/*
 * The tests' /init on the network: a static IPv4 address on the first interface (the ioctls
 * ifconfig uses), ICMP echo to a peer on a raw socket with the round-trip times, and the
 * answering side, which only has to stay up: the kernel answers echo requests itself, and
 * /proc/net/snmp counts the replies it sent, so the peer's last ping is seen without a clock.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <net/if.h>
#include <netinet/in.h>
#include <netinet/ip.h>
#include <netinet/ip_icmp.h>
#include <poll.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include "init.h"

#define NET_DEV_WAIT_S 60
#define NET_REPLY_WAIT_S 1.0 /* per echo request */
#define NET_INTERVAL_S 0.2 /* between answered requests */

/* The first interface that is not the loopback: a driver registers it during its probe. */
static int net_first_interface(char name[IF_NAMESIZE])
{
	double deadline = init_now() + NET_DEV_WAIT_S;

	do {
		struct if_nameindex *all = if_nameindex();
		for (struct if_nameindex *i = all; i && i->if_index; i++) {
			if (strcmp(i->if_name, "lo") != 0) {
				snprintf(name, IF_NAMESIZE, "%s", i->if_name);
				if_freenameindex(all);
				return 0;
			}
		}
		if (all)
			if_freenameindex(all);
		init_nap(0.1);
	} while (init_now() < deadline);
	return -ENODEV;
}

static int net_set_addr(int s, const char *ifname, unsigned long req, struct in_addr a)
{
	struct ifreq ifr = { 0 };
	struct sockaddr_in *sin = (struct sockaddr_in *)&ifr.ifr_addr;

	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", ifname);
	sin->sin_family = AF_INET;
	sin->sin_addr = a;
	return ioctl(s, req, &ifr) ? -errno : 0;
}

int init_net_up(const char *cidr)
{
	char ifname[IF_NAMESIZE], ip[32];
	struct in_addr addr, mask;
	unsigned prefix = 24;

	snprintf(ip, sizeof(ip), "%s", cidr);
	char *slash = strchr(ip, '/');
	if (slash) {
		*slash = '\0';
		prefix = (unsigned)atoi(slash + 1);
	}
	if (inet_pton(AF_INET, ip, &addr) != 1 || prefix == 0 || prefix > 32) {
		INIT_SAY("net: failed: bad address %s\n", cidr);
		return -EINVAL;
	}
	mask.s_addr = htonl(~0u << (32 - prefix));
	if (net_first_interface(ifname)) {
		INIT_SAY("net: failed: no network interface after %d s\n", NET_DEV_WAIT_S);
		return -ENODEV;
	}
	int s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	struct ifreq ifr = { 0 };
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", ifname);
	int rc = s < 0 ? -errno : net_set_addr(s, ifname, SIOCSIFADDR, addr);
	if (!rc)
		rc = net_set_addr(s, ifname, SIOCSIFNETMASK, mask);
	if (!rc && ioctl(s, SIOCGIFFLAGS, &ifr))
		rc = -errno;
	ifr.ifr_flags |= IFF_UP;
	if (!rc && ioctl(s, SIOCSIFFLAGS, &ifr))
		rc = -errno;
	if (s >= 0)
		close(s);
	if (rc)
		INIT_SAY("net %s: failed: %s\n", ifname, strerror(-rc));
	else
		INIT_SAY("net %s: %s/%u up\n", ifname, ip, prefix);
	return rc;
}

static uint16_t net_checksum(const void *data, size_t len)
{
	const uint8_t *p = data;
	uint32_t sum = 0;

	for (size_t i = 0; i + 1 < len; i += 2)
		sum += (uint32_t)(p[i] << 8 | p[i + 1]);
	if (len & 1)
		sum += (uint32_t)p[len - 1] << 8;
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return htons((uint16_t)~sum);
}

/* Wait for the echo reply to (id, seq) until the deadline: 0 when it came. */
static int net_wait_reply(int s, uint16_t id, uint16_t seq, double deadline)
{
	uint8_t buf[1500];

	for (double now; (now = init_now()) < deadline;) {
		struct pollfd pfd = { .fd = s, .events = POLLIN };
		if (poll(&pfd, 1, (int)((deadline - now) * 1000) + 1) <= 0)
			continue;
		ssize_t n = recv(s, buf, sizeof(buf), 0);
		if (n < (ssize_t)sizeof(struct ip))
			continue;
		size_t hl = (size_t)(((struct ip *)buf)->ip_hl) * 4;
		if ((size_t)n < hl + ICMP_MINLEN)
			continue;
		struct icmp *icmp = (struct icmp *)(buf + hl);
		if (icmp->icmp_type == ICMP_ECHOREPLY && ntohs(icmp->icmp_id) == id &&
		    ntohs(icmp->icmp_seq) == seq)
			return 0;
	}
	return -ETIMEDOUT;
}

int init_net_ping(const char *ip, unsigned count, unsigned wait_s)
{
	struct sockaddr_in to = { .sin_family = AF_INET };
	uint16_t id = (uint16_t)getpid(), seq = 0;
	unsigned replies = 0;
	double min = 1e9, max = 0, sum = 0;

	if (inet_pton(AF_INET, ip, &to.sin_addr) != 1) {
		INIT_SAY("ping %s: failed: bad address\n", ip);
		return -EINVAL;
	}
	int s = socket(AF_INET, SOCK_RAW | SOCK_CLOEXEC, IPPROTO_ICMP);
	if (s < 0) {
		INIT_SAY("ping %s: failed: raw socket: %s\n", ip, strerror(errno));
		return -errno;
	}
	/* Until the peer is up (its kernel may still boot), requests go unanswered: retry. */
	double t0 = init_now(), deadline = t0 + wait_s;
	while (replies < count && init_now() < deadline) {
		struct icmp req = { .icmp_type = ICMP_ECHO };
		req.icmp_id = htons(id);
		req.icmp_seq = htons(++seq);
		req.icmp_cksum = net_checksum(&req, ICMP_MINLEN);
		double sent = init_now();
		if (sendto(s, &req, ICMP_MINLEN, 0, (struct sockaddr *)&to, sizeof(to)) < 0) {
			/* No ARP answer yet: the kernel reports the host unreachable. */
			init_nap(NET_REPLY_WAIT_S);
			continue;
		}
		if (net_wait_reply(s, id, seq, sent + NET_REPLY_WAIT_S))
			continue;
		double rtt = (init_now() - sent) * 1000;
		replies++;
		sum += rtt;
		min = rtt < min ? rtt : min;
		max = rtt > max ? rtt : max;
		INIT_SAY("ping %s seq %u: rtt %.3f ms\n", ip, seq, rtt);
		if (replies < count)
			init_nap(NET_INTERVAL_S);
	}
	close(s);
	if (replies < count) {
		INIT_SAY("ping %s: failed: %u of %u replies in %u s (%u requests)\n", ip, replies,
			 count, wait_s, seq);
		return -ETIMEDOUT;
	}
	INIT_SAY("ping %s: %u replies to %u requests, rtt min/avg/max %.3f/%.3f/%.3f ms\n", ip,
		 replies, seq, min, sum / replies, max);
	return 0;
}

/* The OutEchoReps counter of /proc/net/snmp: the echo replies this kernel has sent. */
static long net_echo_replies(void)
{
	char head[1024], vals[1024];
	long result = -1;
	FILE *f = fopen("/proc/net/snmp", "r");

	if (!f)
		return -1;
	/* Pairs of lines: "Icmp: InMsgs ... OutEchoReps ..." then "Icmp: 12 ... 5 ...". */
	while (fgets(head, sizeof(head), f) && fgets(vals, sizeof(vals), f)) {
		if (strncmp(head, "Icmp:", 5) != 0)
			continue;
		char *hs, *vs;
		char *h = strtok_r(head, " \n", &hs), *v = strtok_r(vals, " \n", &vs);
		while (h && v && strcmp(h, "OutEchoReps") != 0) {
			h = strtok_r(NULL, " \n", &hs);
			v = strtok_r(NULL, " \n", &vs);
		}
		if (h && v)
			result = atol(v);
		break;
	}
	fclose(f);
	return result;
}

int init_net_pong(unsigned count, unsigned wait_s)
{
	double t0 = init_now();
	long n = 0;

	INIT_SAY("pong: answering %u echo requests\n", count);
	while ((n = net_echo_replies()) < (long)count && init_now() - t0 < wait_s)
		init_nap(0.1);
	if (n < (long)count) {
		INIT_SAY("pong: failed: %ld of %u echo requests answered in %u s\n", n < 0 ? 0 : n,
			 count, wait_s);
		return -ETIMEDOUT;
	}
	INIT_SAY("pong: answered %ld echo requests in %.1f s\n", n, init_now() - t0);
	return 0;
}
