// SPDX-License-Identifier: GPL-2.0-only
/*
 * twinmon-check FILE... [--ram SIZE | --memmap FILE] [--pci FILE] [--entry ENTRY] [--cpus N]
 * [--json | --files]: validate configuration files and show what they ask for and their CPU
 * plan; with a machine (--ram or --memmap), the partition plan the EFI app would make for it.
 * twinmon-check --esp DIR [--conf FILE] [--with ESP-PATH=FILE]... [same options]: the config
 * of an installed ESP and the kernels and initrds it names (tools/check-esp.c). Exit 0 when
 * every file is valid (and placed), 1 when one is not, 2 on a usage error.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "guest-config/describe.h"
#include "guest-config/number.h"
#include "tools/check.h"

static const char usage[] =
	"usage: twinmon-check FILE... [--ram SIZE | --memmap FILE] [--pci FILE] [--entry ENTRY]\n"
	"                     [--cpus N] [--json | --files]\n"
	"       twinmon-check --esp DIR [--conf FILE] [--with ESP-PATH=FILE]... [options]\n"
	"  Validate twinmon configuration files (docs/config.md) and print what they ask for,\n"
	"  with the CPU plan: which CPU runs which guest's vCPUs (docs/partition.md).\n"
	"  --ram SIZE     also plan the guests with the partition library on a synthesized\n"
	"                 q35 memory map with SIZE of RAM (4M..64T, e.g. 2G)\n"
	"  --memmap FILE  the same on a UEFI memory map captured by the EFI app\n"
	"                 (docs/partition.md, e.g. partition/samples/ovmf-q35-1g.memmap)\n"
	"  --pci FILE     the machine's PCI BARs (docs/partition.md, e.g.\n"
	"                 partition/samples/qemu-q35-two-disks.pci): the guests' functions get\n"
	"                 their BARs, and a BAR sharing a page with another function is refused\n"
	"  --entry ENTRY  plan boot menu entry twin, a-alone, b-alone, direct-a or direct-b\n"
	"                 (default: the entry of the file's mode)\n"
	"  --cpus N       plan the CPUs for a machine with N CPUs (1..4096): a cpus list\n"
	"                 naming CPU N or above is refused (default: the count is unknown\n"
	"                 and not checked)\n"
	"  --json         print everything as JSON on stdout\n"
	"  --files        print only the kernels and initrds the file names, one per line:\n"
	"                 guest, kernel or initrd, ESP path (and with --esp the host path)\n"
	"  --esp DIR      check the ESP mounted at DIR: its EFI/twinmon/twinmon.conf, and\n"
	"                 every kernel and initrd it names found (case ignored, as on FAT),\n"
	"                 probed and placed in its guest's memory by the loader\n"
	"  --conf FILE    with --esp: check FILE as if it were the ESP's config\n"
	"  --with ESP-PATH=FILE  with --esp: take FILE for ESP-PATH, as if installed there\n"
	"Errors go to stderr as FILE:LINE:COLUMN: message, or FILE: partition: message when\n"
	"the guests cannot be placed. Exit status: 0 all files valid and placed, 1 some file\n"
	"invalid, unreadable or not placeable, 2 usage error.\n";

struct check_args {
	bool json;
	bool files;		/* --files */
	struct check_esp esp;	/* --esp DIR */
	unsigned nr_cpus; /* --cpus N; 0: not given */
	bool has_entry;
	uint32_t entry;
	struct check_machine machine;
	bool has_machine;
	int nr_paths;
	const char **paths;
};

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

static void check_one(struct check_file *cf, const struct check_args *args)
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
	cf->nr_cpus = args->nr_cpus;
	cf->esp = args->esp.dir ? &args->esp : NULL;
	/* The CPUs first: a list the machine cannot run says so without a memory plan. */
	if (cf->valid)
		check_cpu_plan_build(cf, args->has_entry ? args->entry
							 : check_entry_default(&cf->cfg));
	if (cf->valid && args->has_machine) {
		cf->machine = &args->machine;
		check_plan_build(cf, args->has_entry ? args->entry : check_entry_default(&cf->cfg));
	}
	if (cf->valid && cf->esp && args->files)
		check_esp_locate(cf);
	else if (cf->valid && cf->esp)
		check_esp_images(cf);

	for (uint32_t i = 0; i < cf->diag.count; i++) {
		config_diag_format(&cf->diag, i, text, sizeof(text));
		fprintf(stderr, "%s\n", text);
	}
	/* Valid, but worth saying: the file accepts DMA nothing confines without an IOMMU. */
	if (cf->valid && config_describe_dma_warning(text, sizeof(text), &cf->cfg) > 0)
		fprintf(stderr, "%s: warning: %s\n", cf->path, text);
	if (cf->diag.dropped)
		fprintf(stderr, "%s: %u more error%s not shown\n", cf->diag.file, cf->diag.dropped,
			cf->diag.dropped == 1 ? "" : "s");
}

/* The value of option a: after '=' in a, or the next argument. NULL when there is none. */
static const char *check_optval(int argc, char **argv, int *i, size_t namelen)
{
	const char *a = argv[*i];

	if (a[namelen] == '=')
		return a + namelen + 1;
	return *i + 1 < argc ? argv[++*i] : NULL;
}

static bool check_is_opt(const char *a, const char *name)
{
	size_t n = strlen(name);

	return !strncmp(a, name, n) && (a[n] == 0 || a[n] == '=');
}

/* --ram SIZE or --memmap FILE: 0, or the status of a usage error. */
static int check_opt_machine(struct check_args *args, bool ram, const char *val)
{
	struct config_num num;

	if (args->has_machine)
		return check_usage_error("%s", "give either --ram or --memmap, once");
	if (!val || !*val)
		return check_usage_error("%s needs a value", ram ? "--ram" : "--memmap");
	args->has_machine = true;
	if (!ram) {
		args->machine.memmap_path = val;
		return 0;
	}
	config_number(val, strlen(val), CONFIG_UNIT_SIZE, &num);
	if (num.status != CONFIG_NUM_OK || num.value < CHECK_RAM_MIN || num.value > CHECK_RAM_MAX)
		return check_usage_error("--ram: expected a size from 4M to 64T like 2G, "
					 "found '%s'", val);
	args->machine.ram = num.value;
	return 0;
}

/* --cpus N: 0, or the status of a usage error. */
static int check_opt_cpus(struct check_args *args, const char *val)
{
	struct config_num num;

	if (args->nr_cpus)
		return check_usage_error("%s", "give --cpus once");
	if (val)
		config_number(val, strlen(val), CONFIG_UNIT_NONE, &num);
	if (!val || !*val || num.status != CONFIG_NUM_OK || num.value < 1 ||
	    num.value > CHECK_CPUS_MAX)
		return check_usage_error("--cpus: expected a CPU count from 1 to 4096, found '%s'",
					 val ? val : "");
	args->nr_cpus = (unsigned)num.value;
	return 0;
}

/* --esp DIR, --conf FILE, --with ESP-PATH=FILE: 0, or the status of a usage error. */
static int check_opt_esp(struct check_args *args, const char *opt, const char *val)
{
	struct check_esp *esp = &args->esp;
	char *eq;

	if (!val || !*val)
		return check_usage_error("%s needs a value", opt);
	if (!strcmp(opt, "--esp")) {
		if (esp->dir)
			return check_usage_error("%s", "give --esp once");
		esp->dir = val;
	} else if (!strcmp(opt, "--conf")) {
		if (esp->conf)
			return check_usage_error("%s", "give --conf once");
		esp->conf = val;
	} else {
		eq = strchr(val, '=');
		if (!eq || eq == val || !eq[1] || (val[0] != '\\' && val[0] != '/'))
			return check_usage_error("--with: expected ESP-PATH=FILE with an absolute "
						 "ESP-PATH, found '%s'", val);
		if (esp->nr_with == CHECK_ESP_WITH_MAX)
			return check_usage_error("%s", "--with: at most 8");
		*eq = 0;
		esp->with[esp->nr_with++] = (struct check_esp_with){ val, eq + 1 };
	}
	return 0;
}

/* What --esp, --files and the FILEs allow together: 0, or a usage error's status. */
static int check_args_esp(struct check_args *args)
{
	struct check_esp *esp = &args->esp;
	struct stat st;
	int rc;

	if (args->files && args->json)
		return check_usage_error("%s", "give either --json or --files");
	if (!esp->dir) {
		if (esp->conf || esp->nr_with)
			return check_usage_error("%s needs --esp", esp->conf ? "--conf" : "--with");
		return 0;
	}
	if (args->nr_paths)
		return check_usage_error("%s", "--esp takes no FILE (--conf FILE replaces its "
					 "config)");
	errno = 0;
	if (stat(esp->dir, &st) || !S_ISDIR(st.st_mode)) {
		fprintf(stderr, "twinmon-check: --esp %s: %s\n", esp->dir,
			errno ? strerror(errno) : "not a directory");
		return 2;
	}
	rc = check_esp_resolve(esp->dir, CHECK_ESP_CONFIG, esp->conf_path,
			       sizeof(esp->conf_path));
	if (rc < 0) {
		fprintf(stderr, "twinmon-check: %s: %s\n", esp->dir, strerror(-rc));
		return 2;
	}
	args->paths[args->nr_paths++] = esp->conf ? esp->conf : esp->conf_path;
	return 0;
}

/* 0, or a usage error's exit status (2) after saying what is wrong. */
static int check_parse_args(int argc, char **argv, struct check_args *args)
{
	bool options = true;
	int status = 0;

	for (int i = 1; i < argc && !status; i++) {
		const char *a = argv[i], *val;

		if (!options || a[0] != '-' || !a[1]) {
			args->paths[args->nr_paths++] = a;
		} else if (!strcmp(a, "--")) {
			options = false;
		} else if (!strcmp(a, "--json")) {
			args->json = true;
		} else if (!strcmp(a, "--files")) {
			args->files = true;
		} else if (check_is_opt(a, "--esp")) {
			status = check_opt_esp(args, "--esp", check_optval(argc, argv, &i, 5));
		} else if (check_is_opt(a, "--conf")) {
			status = check_opt_esp(args, "--conf", check_optval(argc, argv, &i, 6));
		} else if (check_is_opt(a, "--with")) {
			status = check_opt_esp(args, "--with", check_optval(argc, argv, &i, 6));
		} else if (check_is_opt(a, "--ram")) {
			status = check_opt_machine(args, true, check_optval(argc, argv, &i, 5));
		} else if (check_is_opt(a, "--memmap")) {
			status = check_opt_machine(args, false, check_optval(argc, argv, &i, 8));
		} else if (check_is_opt(a, "--pci")) {
			val = check_optval(argc, argv, &i, 5);
			if (!val || !*val || args->machine.pci_path)
				return check_usage_error("%s", "--pci needs a FILE, once");
			args->machine.pci_path = val;
		} else if (check_is_opt(a, "--cpus")) {
			status = check_opt_cpus(args, check_optval(argc, argv, &i, 6));
		} else if (check_is_opt(a, "--entry")) {
			val = check_optval(argc, argv, &i, 7);
			if (!val || check_entry_parse(val, &args->entry))
				return check_usage_error("--entry: expected twin, a-alone, "
							 "b-alone, direct-a or direct-b, "
							 "found '%s'", val ? val : "");
			args->has_entry = true;
		} else {
			return check_usage_error("unknown option '%s'", a);
		}
	}
	if (status || (status = check_args_esp(args)))
		return status;
	if (!args->nr_paths)
		return check_usage_error("%s", "no FILE given");
	if (args->has_entry && !args->has_machine)
		return check_usage_error("%s", "--entry needs --ram or --memmap");
	if (args->machine.pci_path && !args->has_machine)
		return check_usage_error("%s", "--pci needs --ram or --memmap");
	return 0;
}

int main(int argc, char **argv)
{
	struct check_args args = { 0 };
	struct check_file *files;
	char err[PARTITION_ERR_MAX + 512];
	int status = 0;

	for (int i = 1; i < argc && strcmp(argv[i], "--"); i++) {
		if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
			fputs(usage, stdout);
			return 0;
		}
	}
	args.paths = calloc((size_t)argc, sizeof(*args.paths));
	if (!args.paths)
		return 1;
	status = check_parse_args(argc, argv, &args);
	/* A map that cannot be read leaves nothing to check the files against. */
	if (!status && args.has_machine && (check_map_load(&args.machine, err, sizeof(err)) ||
					    (args.machine.pci_path &&
					     check_pci_load(&args.machine, err, sizeof(err))))) {
		fprintf(stderr, "twinmon-check: %s\n", err);
		status = 2;
	}
	/* A few dozen KiB per file (the plan): JSON wants them all at the end. */
	files = status ? NULL : calloc((size_t)args.nr_paths, sizeof(*files));
	if (!status && !files)
		status = 1;
	for (int i = 0; files && i < args.nr_paths; i++) {
		files[i].path = args.paths[i];
		check_one(&files[i], &args);
		if (!files[i].valid)
			status = 1;
		else if (args.files)
			check_print_files(stdout, &files[i]);
		else if (!args.json)
			check_print_table(stdout, &files[i]);
		if (files[i].valid && files[i].esp_checked && !args.json)
			check_print_esp(stdout, &files[i]);
		if (!args.json && !args.files && files[i].valid && i + 1 < args.nr_paths)
			putchar('\n');
	}
	if (files && args.json)
		check_print_json(stdout, files, args.nr_paths);
	free(files);
	check_map_free(&args.machine);
	check_pci_free(&args.machine);
	free(args.paths);
	return status;
}
