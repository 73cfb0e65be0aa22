// SPDX-License-Identifier: GPL-2.0-only
#include "monitor/spec.h"

#include "lib/fmt.h"
#include "monitor/cpuid.h"
#include "monitor/msr.h"

void spec_caps_decode(uint32_t leaf7_edx, uint32_t leaf88_ebx, struct spec_caps *c)
{
	/* Intel names IBRS and IBPB with one bit, AMD with two; either vendor's bits count. */
	c->ibpb = (leaf7_edx & CPUID_7_EDX_IBRS_IBPB) || (leaf88_ebx & CPUID_88_EBX_IBPB);
	c->ctrl = 0;
	if ((leaf7_edx & CPUID_7_EDX_IBRS_IBPB) || (leaf88_ebx & CPUID_88_EBX_IBRS))
		c->ctrl |= SPEC_CTRL_IBRS;
	if ((leaf7_edx & CPUID_7_EDX_STIBP) || (leaf88_ebx & CPUID_88_EBX_STIBP))
		c->ctrl |= SPEC_CTRL_STIBP;
	if ((leaf7_edx & CPUID_7_EDX_SSBD) || (leaf88_ebx & CPUID_88_EBX_SSBD))
		c->ctrl |= SPEC_CTRL_SSBD;
}

void spec_caps_probe(void (*cpuid)(void *ctx, uint32_t leaf, uint32_t subleaf,
				   struct cpuid_regs *out),
		     void *ctx, struct spec_caps *c)
{
	struct cpuid_regs r;
	uint32_t edx7 = 0, ebx88 = 0;

	/* A leaf past the maximum answers with another leaf's data: ask only below it. */
	cpuid(ctx, 0, 0, &r);
	if (r.eax >= 7) {
		cpuid(ctx, 7, 0, &r);
		edx7 = r.edx;
	}
	cpuid(ctx, 0x80000000, 0, &r);
	if (r.eax >= 0x80000008) {
		cpuid(ctx, 0x80000008, 0, &r);
		ebx88 = r.ebx;
	}
	spec_caps_decode(edx7, ebx88, c);
}

void spec_log(struct monitor *m, const struct spec_caps *c)
{
	static const struct {
		uint32_t bit;
		const char *name;
	} bits[] = { { SPEC_CTRL_IBRS, "IBRS" }, { SPEC_CTRL_STIBP, "STIBP" },
		     { SPEC_CTRL_SSBD, "SSBD" } };
	char names[32] = "";
	size_t n = 0;

	for (size_t i = 0; i < sizeof(bits) / sizeof(bits[0]); i++)
		if ((c->ctrl & bits[i].bit) && n < sizeof(names))
			n += (size_t)fmt_snprintf(names + n, sizeof(names) - n, "%s%s",
						  n ? ", " : "", bits[i].name);
	monitor_log(m, "monitor: speculation controls: IBPB %s; SPEC_CTRL %s%s%s",
		    c->ibpb ? "on every change of guest" : "not available",
		    c->ctrl ? "per guest (" : "not available (#GP for the guests)", names,
		    c->ctrl ? ")" : "");
}

void spec_save(struct spec_cpu *s, struct vcpu *from)
{
	if (s->caps.ctrl)
		from->spec_ctrl = s->rdmsr(s->ctx, MSR_SPEC_CTRL);
}

void spec_load(struct spec_cpu *s, struct vcpu *to)
{
	/* Also after no save: the CPU may still hold a restarted guest's old value. */
	if (s->caps.ctrl)
		s->wrmsr(s->ctx, MSR_SPEC_CTRL, to->spec_ctrl);
	/* The predictors hold whatever the last guest trained, even when nobody's state was
	 * saved because the loaded guest restarted; a guest re-entered after itself needs
	 * nothing (its vCPUs trust each other). */
	if (s->caps.ibpb && s->last && s->last->g != to->g) {
		s->wrmsr(s->ctx, MSR_PRED_CMD, PRED_CMD_IBPB);
		s->barriers++;
	}
	s->last = to;
}

void spec_switch(struct spec_cpu *s, struct vcpu *from, struct vcpu *to)
{
	if (from)
		spec_save(s, from);
	if (to)
		spec_load(s, to);
}
