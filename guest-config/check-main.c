// SPDX-License-Identifier: GPL-2.0-only
/*
 * twinmon-check FILE... [--ram SIZE] [--json]: validate configuration files and show what
 * they ask for. Exit 0 when every file is valid, 1 when one is not, 2 on a usage error.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "guest-config/check.h"
#include "guest-config/number.h"

static const char usage[] =
	"usage: twinmon-check FILE... [--ram SIZE] [--json]\n"
	"  Validate twinmon configuration files (docs/config.md) and print the plan.\n"
	"  --ram SIZE  also check the requests fit in SIZE bytes of RAM (e.g. 1G) and place them\n"
	"  --json      print the plan as JSON on stdout\n"
	"Errors go to stderr as FILE:LINE:COLUMN: message. Exit status: 0 all files valid,\n"
	"1 some file invalid or unreadable, 2 usage error.\n";

static int check_usage_error(const char *fmt, const char *arg)
{
	fprintf(stderr, "twinmon-check: ");
	fprintf(stderr, fmt, arg);
	fprintf(stderr, "\n%s", usage);
	return 2;
}

/*
 * Read at most CONFIG_FILE_MAX + 1 bytes: enough for config_parse() to tell a file is too
 * long without this tool reading all of a huge or endless one.
 */
static char *check_read(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf;

	if (!f)
		return NULL;
	buf = malloc(CONFIG_FILE_MAX + 1);
	if (!buf) {
		fclose(f);
		errno = ENOMEM;
		return NULL;
	}
	*len = fread(buf, 1, CONFIG_FILE_MAX + 1, f);
	if (ferror(f)) {
		int err = errno ? errno : EIO;

		free(buf);
		fclose(f);
		errno = err;
		return NULL;
	}
	fclose(f);
	return buf;
}

static void check_one(struct check_file *cf, uint64_t ram)
{
	char text[CONFIG_DIAG_FILE_MAX + CONFIG_DIAG_TEXT_MAX + 32];
	size_t len = 0;
	char *buf = check_read(cf->path, &len);

	if (!buf) {
		config_diag_init(&cf->diag, cf->path);
		config_diag_add(&cf->diag, 0, 0, "cannot read: %s", strerror(errno));
		config_defaults(&cf->cfg);
	} else {
		cf->valid = config_parse(cf->path, buf, len, &cf->cfg, &cf->diag) == 0;
		free(buf);
	}
	if (cf->valid && ram)
		cf->valid = check_place_ram(&cf->cfg, ram, &cf->plan, &cf->diag) == 0;

	for (uint32_t i = 0; i < cf->diag.count; i++) {
		config_diag_format(&cf->diag, i, text, sizeof(text));
		fprintf(stderr, "%s\n", text);
	}
	if (cf->diag.dropped)
		fprintf(stderr, "%s: %u more error%s not shown\n", cf->diag.file, cf->diag.dropped,
			cf->diag.dropped == 1 ? "" : "s");
}

int main(int argc, char **argv)
{
	struct check_file *files;
	const char **paths;
	bool json = false, options = true;
	uint64_t ram = 0;
	int n = 0, status = 0;

	paths = calloc((size_t)argc, sizeof(*paths));
	if (!paths)
		return 1;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i], *val = NULL;

		if (options && !strcmp(a, "--")) {
			options = false;
		} else if (options && (!strcmp(a, "-h") || !strcmp(a, "--help"))) {
			fputs(usage, stdout);
			free(paths);
			return 0;
		} else if (options && !strcmp(a, "--json")) {
			json = true;
		} else if (options && (!strcmp(a, "--ram") || !strncmp(a, "--ram=", 6))) {
			struct config_num num;

			val = a[5] == '=' ? a + 6 : (i + 1 < argc ? argv[++i] : NULL);
			if (!val) {
				free(paths);
				return check_usage_error("%s needs a size like 1G", "--ram");
			}
			config_number(val, strlen(val), CONFIG_UNIT_SIZE, &num);
			if (num.status != CONFIG_NUM_OK || !num.value) {
				free(paths);
				return check_usage_error(
					"--ram: expected a size like 1G, found '%s'", val);
			}
			ram = num.value;
		} else if (options && a[0] == '-' && a[1]) {
			free(paths);
			return check_usage_error("unknown option '%s'", a);
		} else {
			paths[n++] = a;
		}
	}
	if (!n) {
		free(paths);
		return check_usage_error("%s", "no FILE given");
	}

	/* A few KiB per file: one at a time would do, but JSON wants them all at the end. */
	files = calloc((size_t)n, sizeof(*files));
	if (!files) {
		free(paths);
		return 1;
	}
	for (int i = 0; i < n; i++) {
		files[i].path = paths[i];
		check_one(&files[i], ram);
		if (!files[i].valid)
			status = 1;
		else if (!json)
			check_print_table(stdout, &files[i]);
		if (!json && files[i].valid && i + 1 < n)
			putchar('\n');
	}
	if (json)
		check_print_json(stdout, files, n);
	free(files);
	free(paths);
	return status;
}
