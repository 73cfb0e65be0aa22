// SPDX-License-Identifier: GPL-2.0-only
/*
 * The table of image formats and the two entry points that walk it. A probe answers
 * -ENOEXEC for "not mine"; any other refusal comes from the format that recognised the
 * image and is the message the user needs (old protocol, truncated...), so it wins.
 */
#include <errno.h>

#include "lib/fmt.h"
#include "loader/internal.h"

const struct loader_format loader_formats[] = {
	{ "bzImage", loader_probe_bzimage, loader_load_bzimage },
	{ "elf64", loader_probe_elf, loader_load_elf },
};
const size_t loader_format_count = sizeof(loader_formats) / sizeof(loader_formats[0]);

int loader_probe(const char *name, const void *data, size_t size, struct loader_image *img,
		 struct loader_err *err)
{
	char why[LOADER_ERR_MAX];
	size_t len = 0;

	name = name ? name : "image";
	if (!data && size)
		return loader_fail(err, -EINVAL, "%s: no image", name);
	why[0] = 0;
	for (size_t i = 0; i < loader_format_count; i++) {
		const struct loader_format *f = &loader_formats[i];
		struct loader_err e;
		int rc;

		*img = (struct loader_image){ 0 };
		rc = f->probe(name, data, size, img, &e);
		if (rc == 0) {
			img->format = f;
			return 0;
		}
		if (rc != -ENOEXEC) {
			if (err)
				*err = e;
			return rc;
		}
		/* Keep each format's "not mine" reason, minus the "loader: NAME: " prefix. */
		const char *r = e.msg + strlen("loader: ") + strlen(name) + 2;
		if (r > e.msg + strlen(e.msg))
			r = e.msg;
		if (len < sizeof(why))
			len += fmt_snprintf(why + len, sizeof(why) - len, "%s%s: %s", i ? "; " : "",
					    f->name, r);
	}
	return loader_fail(err, -ENOEXEC, "%s: unrecognised image (%s)", name, why);
}

int loader_load(const struct loader_params *p, struct loader_plan *plan, struct loader_err *err)
{
	const char *name = p->name ? p->name : "image";
	int rc;

	*plan = (struct loader_plan){ .staging = p->staging };
	rc = loader_probe(name, p->image, p->image_size, &plan->image, err);
	if (rc)
		return rc;
	rc = plan->image.format->load(&plan->image, p, plan, err);
	if (rc)
		goto fail;
	/* Placement guarantees these; checking again is cheap and guards the trampoline. */
	rc = loader_plan_check(plan, p, err);
	if (rc)
		goto fail;
	loader_plan_digest(plan);
	return 0;
fail:
	loader_plan_release(plan);
	return rc;
}
