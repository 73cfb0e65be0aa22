// SPDX-License-Identifier: GPL-2.0-only
/*
 * The tests' /init on the network: a static IPv4 address on the first interface (the ioctls
 * ifconfig uses), ICMP echo to a peer on a raw socket with the round-trip times, and the
 * answering side, which only has to stay up: the kernel answers echo requests itself. The
 * pinging side ends with a request marked as the last, which the answering init sees on a raw
 * socket of its own, so it knows when to go without a clock or a count that a late reply
 * could throw off; /proc/net/snmp tells how many requests its kernel answered.
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

/* An echo request carries one of these; the last one tells the answering side it may go. */
#define NET_PAYLOAD_PING "twinmon: ping.."
#define NET_PAYLOAD_LAST "twinmon: last.."
#define NET_PAYLOAD_LEN 16

struct net_echo {
	struct icmphdr icmp; /* 8 bytes: type, code, checksum, id, sequence */
	char payload[NET_PAYLOAD_LEN];
};
_Static_assert(sizeof(struct net_echo) == ICMP_MINLEN + NET_PAYLOAD_LEN, "no padding");

/* The ICMP header in a packet from a raw socket (which delivers the IP header too), or NULL. */
static struct icmp *net_icmp_of(uint8_t *buf, ssize_t n, size_t *len)
{
	if (n < (ssize_t)sizeof(struct ip))
		return NULL;
	size_t hl = (size_t)(((struct ip *)buf)->ip_hl) * 4;
	if ((size_t)n < hl + ICMP_MINLEN)
		return NULL;
	*len = (size_t)n - hl;
	return (struct icmp *)(buf + hl);
}

/* Wait for the echo reply to (id, seq) until the deadline: 0 when it came. */
static int net_wait_reply(int s, uint16_t id, uint16_t seq, double deadline)
{
	uint8_t buf[1500];
	size_t len;

	for (double now; (now = init_now()) < deadline;) {
		struct pollfd pfd = { .fd = s, .events = POLLIN };
		if (poll(&pfd, 1, (int)((deadline - now) * 1000) + 1) <= 0)
			continue;
		struct icmp *icmp = net_icmp_of(buf, recv(s, buf, sizeof(buf), 0), &len);
		if (icmp && icmp->icmp_type == ICMP_ECHOREPLY && ntohs(icmp->icmp_id) == id &&
		    ntohs(icmp->icmp_seq) == seq)
			return 0;
	}
	return -ETIMEDOUT;
}

/* One echo request and its reply within NET_REPLY_WAIT_S: the round trip in ms, or < 0. */
static double net_echo(int s, const struct sockaddr_in *to, uint16_t id, uint16_t seq,
		       const char *payload)
{
	struct net_echo req = { .icmp = { .type = ICMP_ECHO } };

	req.icmp.un.echo.id = htons(id);
	req.icmp.un.echo.sequence = htons(seq);
	memcpy(req.payload, payload, NET_PAYLOAD_LEN);
	req.icmp.checksum = net_checksum(&req, sizeof(req));
	double sent = init_now();
	if (sendto(s, &req, sizeof(req), 0, (const struct sockaddr *)to, sizeof(*to)) < 0) {
		/* No ARP answer yet: the kernel reports the host unreachable. */
		init_nap(NET_REPLY_WAIT_S);
		return -1;
	}
	if (net_wait_reply(s, id, seq, sent + NET_REPLY_WAIT_S))
		return -1;
	return (init_now() - sent) * 1000;
}

#define NET_RTTS_MAX 1024

static int net_cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

int init_net_ping(const char *ip, unsigned count, unsigned wait_s)
{
	static double rtts[NET_RTTS_MAX];
	struct sockaddr_in to = { .sin_family = AF_INET };
	uint16_t id = (uint16_t)getpid(), seq = 0;
	unsigned replies = 0;
	double min = 1e9, max = 0, sum = 0, rtt = -1;

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
	double deadline = init_now() + wait_s;
	while (replies < count && init_now() < deadline) {
		if ((rtt = net_echo(s, &to, id, ++seq, NET_PAYLOAD_PING)) < 0)
			continue;
		if (replies < NET_RTTS_MAX)
			rtts[replies] = rtt;
		replies++;
		sum += rtt;
		min = rtt < min ? rtt : min;
		max = rtt > max ? rtt : max;
		INIT_SAY("ping %s seq %u: rtt %.3f ms\n", ip, seq, rtt);
		if (replies < count)
			init_nap(NET_INTERVAL_S);
	}
	/* Then the last request, until it is answered: the peer's init waits for it. */
	unsigned requests = seq;
	rtt = -1;
	while (replies == count && rtt < 0 && init_now() < deadline)
		rtt = net_echo(s, &to, id, ++seq, NET_PAYLOAD_LAST);
	close(s);
	if (replies < count || rtt < 0) {
		INIT_SAY("ping %s: failed: %u of %u replies in %u s (%u requests)%s\n", ip, replies,
			 count, wait_s, requests, replies == count ? ", the last one unanswered" : "");
		return -ETIMEDOUT;
	}
	/* The median too: the first reply waits for ARP, and a host hiccup can add milliseconds. */
	unsigned kept = replies < NET_RTTS_MAX ? replies : NET_RTTS_MAX;
	qsort(rtts, kept, sizeof(rtts[0]), net_cmp_double);
	double median = kept ? (rtts[(kept - 1) / 2] + rtts[kept / 2]) / 2 : 0;
	INIT_SAY("ping %s: %u replies to %u requests, rtt min/avg/max/median "
		 "%.3f/%.3f/%.3f/%.3f ms\n", ip, replies, requests, min, sum / replies, max, median);
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
	uint8_t buf[1500];
	size_t len;
	int last = 0;

	/* The kernel answers; a raw socket sees a copy of each request, so init sees the last. */
	int s = socket(AF_INET, SOCK_RAW | SOCK_CLOEXEC, IPPROTO_ICMP);
	if (s < 0) {
		INIT_SAY("pong: failed: raw socket: %s\n", strerror(errno));
		return -errno;
	}
	INIT_SAY("pong: answering echo requests until the last one\n");
	double t0 = init_now(), deadline = t0 + wait_s;
	for (double now; !last && (now = init_now()) < deadline;) {
		struct pollfd pfd = { .fd = s, .events = POLLIN };
		if (poll(&pfd, 1, (int)((deadline - now) * 1000) + 1) <= 0)
			continue;
		struct icmp *icmp = net_icmp_of(buf, recv(s, buf, sizeof(buf), 0), &len);
		last = icmp && icmp->icmp_type == ICMP_ECHO &&
		       len >= ICMP_MINLEN + NET_PAYLOAD_LEN &&
		       memcmp((char *)icmp + ICMP_MINLEN, NET_PAYLOAD_LAST, NET_PAYLOAD_LEN) == 0;
	}
	close(s);
	init_nap(0.1); /* the kernel's reply to the last request goes out on its own */
	long n = net_echo_replies();
	if (!last || n < (long)count) {
		INIT_SAY("pong: failed: %ld echo requests answered in %u s, %s\n", n < 0 ? 0 : n,
			 wait_s, last ? "too few" : "the last one never came");
		return -ETIMEDOUT;
	}
	INIT_SAY("pong: answered %ld echo requests in %.1f s\n", n, init_now() - t0);
	return 0;
}
