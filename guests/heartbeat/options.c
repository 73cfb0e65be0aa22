// SPDX-License-Identifier: GPL-2.0-only
/* The heartbeat's command-line options (see options.h). */
#include "guests/heartbeat/options.h"

#include <errno.h>

#include "guests/lib/cmdline.h"
#include "lib/fmt.h"

static const char *const hb_keys[] = { "uart", "units", "exit", "every", "work", "region",
				       "yield", "nullcalls", "gaps", "seconds" };
static const char *const hb_exit_names[] = { "halt", "debug", "verdict" };

const char *hb_exit_name(enum hb_exit e)
{
	return (unsigned)e < sizeof(hb_exit_names) / sizeof(hb_exit_names[0]) ? hb_exit_names[e]
									       : "?";
}

/* key=number within [min, max]: 0 (absent leaves *v alone) or -EINVAL with a message. */
static int hb_number(const char *cl, const char *key, uint64_t min, uint64_t max, uint64_t *v,
		     char *err, size_t errlen)
{
	struct cmdline_arg a;
	uint64_t n;

	if (!cmdline_find(cl, key, &a))
		return 0;
	if (cmdline_parse_u64(a.val, a.val_len, &n) || n < min || n > max) {
		fmt_snprintf(err, errlen, "%s=%.*s: expected a number %llu..%llu", key,
			     (int)a.val_len, a.val, (unsigned long long)min,
			     (unsigned long long)max);
		return -EINVAL;
	}
	*v = n;
	return 0;
}

int hb_options_parse(const char *cl, struct hb_options *o, char *err, size_t errlen)
{
	struct cmdline_arg a;
	int rc = 0;

	*o = (struct hb_options){
		.exit = HB_EXIT_HALT,
		.every = HB_DEFAULT_EVERY,
		.work = HB_DEFAULT_WORK,
		.region = HB_DEFAULT_REGION,
	};
	err[0] = '\0';
	/* exit= first: when something else is wrong, the failure still ends the chosen way. */
	if (cmdline_find(cl, "exit", &a)) {
		size_t i;

		for (i = 0; i < sizeof(hb_exit_names) / sizeof(hb_exit_names[0]); i++)
			if (cmdline_eq(a.val, a.val_len, hb_exit_names[i]))
				break;
		if (i == sizeof(hb_exit_names) / sizeof(hb_exit_names[0])) {
			fmt_snprintf(err, errlen, "exit=%.*s: expected halt, debug or verdict",
				     (int)a.val_len, a.val);
			return -EINVAL;
		}
		o->exit = (enum hb_exit)i;
	}
	if (!rc)
		rc = hb_number(cl, "units", 0, UINT64_MAX, &o->units, err, errlen);
	if (!rc)
		rc = hb_number(cl, "every", 1, UINT64_MAX, &o->every, err, errlen);
	if (!rc)
		rc = hb_number(cl, "work", 1, HB_WORK_MAX, &o->work, err, errlen);
	if (!rc)
		rc = hb_number(cl, "region", 4096, HB_REGION_MAX, &o->region, err, errlen);
	if (!rc && (o->region & 4095)) {
		fmt_snprintf(err, errlen, "region=%llu: not a multiple of 4K",
			     (unsigned long long)o->region);
		rc = -EINVAL;
	}
	if (!rc)
		rc = hb_number(cl, "yield", 0, UINT64_MAX, &o->yield, err, errlen);
	if (!rc)
		rc = hb_number(cl, "nullcalls", 0, HB_SAMPLES_MAX, &o->nullcalls, err, errlen);
	if (!rc)
		rc = hb_number(cl, "gaps", 0, HB_SAMPLES_MAX, &o->gaps, err, errlen);
	if (!rc)
		rc = hb_number(cl, "seconds", 0, HB_SECONDS_MAX, &o->seconds, err, errlen);
	return rc;
}

int hb_options_unknown(const char *cl, char *buf, size_t size)
{
	struct cmdline_arg a;

	if (!cmdline_unknown_key(cl, hb_keys, sizeof(hb_keys) / sizeof(hb_keys[0]), &a))
		return 0;
	fmt_snprintf(buf, size, "%.*s", (int)a.key_len, a.key);
	return 1;
}
