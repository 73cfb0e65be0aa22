// SPDX-License-Identifier: GPL-2.0-only
/*
 * SVM exit decoding: a table from exit code to the shared handler's reason
 * (monitor/vcpu_exit.h), statistics class and name, and the decoding of EXITINFO1/2 and
 * EXITINTINFO into struct vcpu_exit. The handlers themselves are the core's (monitor/exit.c).
 * next_rip is the VMCB's NRIP when the CPU saves it (QEMU's TCG does not) and IOIO's
 * EXITINFO2 always.
 */
#include <errno.h>
#include <stddef.h>

#include "monitor/stats.h"
#include "monitor/svm/svm.h"
#include "monitor/vcpu_exit.h"

struct svm_exit_kind {
	uint64_t code;
	uint8_t stat;		/* TM_EXIT_* */
	const char *name;
	enum vcpu_exit_reason reason;
};

/* The table names each exception the policy intercepts. */
_Static_assert(POLICY_EXCEPTIONS == ((1u << VCPU_VEC_DB) | (1u << VCPU_VEC_AC)),
	       "an intercepted exception without an entry in svm_exit_table");

static const struct svm_exit_kind svm_exit_table[] = {
	{ SVM_EXIT_EXCP_BASE + VCPU_VEC_DB, TM_EXIT_EXCEPTION, "#DB", VCPU_EXIT_EXCEPTION },
	{ SVM_EXIT_EXCP_BASE + VCPU_VEC_AC, TM_EXIT_EXCEPTION, "#AC", VCPU_EXIT_EXCEPTION },
	{ SVM_EXIT_INTR, TM_EXIT_INTR, "intr", VCPU_EXIT_INTR },
	{ SVM_EXIT_VINTR, TM_EXIT_VINTR, "vintr", VCPU_EXIT_IRQ_WINDOW },
	{ SVM_EXIT_NMI, TM_EXIT_NMI, "nmi", VCPU_EXIT_INTR },
	{ SVM_EXIT_CPUID, TM_EXIT_CPUID, "cpuid", VCPU_EXIT_CPUID },
	{ SVM_EXIT_INVD, TM_EXIT_OTHER, "invd", VCPU_EXIT_INVD },
	{ SVM_EXIT_HLT, TM_EXIT_HLT, "hlt", VCPU_EXIT_HLT },
	{ SVM_EXIT_INVLPGA, TM_EXIT_SVM_INSN, "invlpga", VCPU_EXIT_UD },
	{ SVM_EXIT_IOIO, TM_EXIT_IO, "ioio", VCPU_EXIT_IO },
	{ SVM_EXIT_MSR, TM_EXIT_MSR, "msr", VCPU_EXIT_MSR },
	{ SVM_EXIT_SHUTDOWN, TM_EXIT_SHUTDOWN, "shutdown", VCPU_EXIT_SHUTDOWN },
	{ SVM_EXIT_VMRUN, TM_EXIT_SVM_INSN, "vmrun", VCPU_EXIT_UD },
	{ SVM_EXIT_VMMCALL, TM_EXIT_VMMCALL, "vmmcall", VCPU_EXIT_HYPERCALL },
	{ SVM_EXIT_VMLOAD, TM_EXIT_SVM_INSN, "vmload", VCPU_EXIT_UD },
	{ SVM_EXIT_VMSAVE, TM_EXIT_SVM_INSN, "vmsave", VCPU_EXIT_UD },
	{ SVM_EXIT_STGI, TM_EXIT_SVM_INSN, "stgi", VCPU_EXIT_UD },
	{ SVM_EXIT_CLGI, TM_EXIT_SVM_INSN, "clgi", VCPU_EXIT_UD },
	{ SVM_EXIT_SKINIT, TM_EXIT_SVM_INSN, "skinit", VCPU_EXIT_UD },
	{ SVM_EXIT_WBINVD, TM_EXIT_OTHER, "wbinvd", VCPU_EXIT_WBINVD },
	{ SVM_EXIT_MONITOR, TM_EXIT_OTHER, "monitor", VCPU_EXIT_UD },
	{ SVM_EXIT_MWAIT, TM_EXIT_OTHER, "mwait", VCPU_EXIT_UD },
	{ SVM_EXIT_MWAIT_COND, TM_EXIT_OTHER, "mwait-cond", VCPU_EXIT_UD },
	{ SVM_EXIT_NPF, TM_EXIT_NPF, "npf", VCPU_EXIT_NPF },
	{ SVM_EXIT_INVALID, TM_EXIT_UNKNOWN, "invalid", VCPU_EXIT_INVALID },
};

int io_decode_svm(uint64_t info1, struct io_access *a)
{
	unsigned sz = (unsigned)info1 & (SVM_IOIO_SZ8 | SVM_IOIO_SZ16 | SVM_IOIO_SZ32);
	unsigned as = (unsigned)info1 & (SVM_IOIO_A16 | SVM_IOIO_A32 | SVM_IOIO_A64);

	switch (sz) {
	case SVM_IOIO_SZ8:
		a->size = 1;
		break;
	case SVM_IOIO_SZ16:
		a->size = 2;
		break;
	case SVM_IOIO_SZ32:
		a->size = 4;
		break;
	default:
		return -EINVAL;
	}
	switch (as) {
	case SVM_IOIO_A16:
		a->addr_size = 2;
		break;
	case SVM_IOIO_A32:
		a->addr_size = 4;
		break;
	case SVM_IOIO_A64:
		a->addr_size = 8;
		break;
	case 0:
		a->addr_size = 0;	/* QEMU's TCG leaves the address size out */
		break;
	default:
		return -EINVAL;
	}
	a->port = (uint16_t)(info1 >> SVM_IOIO_PORT_SHIFT);
	a->in = info1 & SVM_IOIO_IN;
	a->string = info1 & SVM_IOIO_STR;
	a->rep = info1 & SVM_IOIO_REP;
	return 0;
}
void npf_decode_svm(uint64_t info1, uint64_t info2, struct npf_access *a)
{
	*a = (struct npf_access){
		.gpa = info2,
		.write = info1 & SVM_NPF_W,
		.fetch = info1 & SVM_NPF_ID,
		.present = info1 & SVM_NPF_P,
		.tables = info1 & SVM_NPF_TABLES,
		.final = info1 & SVM_NPF_FINAL,
	};
	a->read = !a->write && !a->fetch;
}

static const struct svm_exit_kind *svm_exit_lookup(uint64_t code)
{
	for (size_t i = 0; i < sizeof(svm_exit_table) / sizeof(svm_exit_table[0]); i++)
		if (svm_exit_table[i].code == code)
			return &svm_exit_table[i];
	return NULL;
}

const char *svm_exit_name(uint64_t code)
{
	const struct svm_exit_kind *k = svm_exit_lookup(code);

	return k ? k->name : "unknown";
}

const char *svm_vcpu_exit_name(struct vcpu *vc, uint64_t *code)
{
	*code = ((struct svm_vcpu *)vc->arch)->vmcb->control.exit_code;
	return svm_exit_name(*code);
}

/*
 * An event the exit interrupted (its delivery hit an intercept) is delivered again.
 * Software interrupts and INT3/INTO are not: RIP still points at the instruction, which
 * raises them again when it re-executes.
 */
static void svm_exit_reinject(struct vmcb *vmcb)
{
	uint64_t info = vmcb->control.exit_int_info;
	uint64_t type = info & VMCB_EVENT_TYPE_MASK;
	uint64_t vector = info & VMCB_EVENT_VECTOR_MASK;

	vmcb->control.event_inj = 0;
	if (!(info & VMCB_EVENT_VALID) || type == VMCB_EVENT_TYPE_SOFT)
		return;
	if (type == VMCB_EVENT_TYPE_EXCEPT && (vector == 3 || vector == 4))
		return;
	vmcb->control.event_inj = info;
}

int svm_exit_decode(struct monitor *m, struct vcpu *vc, struct vcpu_exit *x)
{
	const struct svm_vcpu *v = vc->arch;
	const struct vmcb_control *c = &v->vmcb->control;
	const struct svm_exit_kind *k = svm_exit_lookup(c->exit_code);
	uint64_t info1 = c->exit_info1;

	*x = (struct vcpu_exit){ .reason = k ? k->reason : VCPU_EXIT_UNKNOWN,
				 .code = c->exit_code };
	if (v->nrips && c->next_rip)
		x->next_rip = c->next_rip;
	x->event.valid = c->exit_int_info & VMCB_EVENT_VALID;
	x->event.vector = (uint8_t)(c->exit_int_info & VMCB_EVENT_VECTOR_MASK);
	x->event.info = c->exit_int_info;
	switch (x->reason) {
	case VCPU_EXIT_EXCEPTION:
		/* #AC pushes an error code (always 0), in EXITINFO1; #DB has none. */
		x->exc.vector = (uint8_t)(c->exit_code - SVM_EXIT_EXCP_BASE);
		x->exc.has_error = x->exc.vector == VCPU_VEC_AC;
		x->exc.error = (uint32_t)info1;
		break;
	case VCPU_EXIT_IO:
		if (io_decode_svm(info1, &x->io) < 0) {
			monitor_guest_stop(m, vc->g, "IOIO exit with an impossible EXITINFO1 0x%llx",
					   (unsigned long long)info1);
			return -EINVAL;
		}
		x->next_rip = c->exit_info2;
		break;
	case VCPU_EXIT_MSR:
		x->msr.write = info1 != 0;
		break;
	case VCPU_EXIT_NPF:
		npf_decode_svm(info1, c->exit_info2, &x->npf.a);
		x->npf.user = info1 & SVM_NPF_U;
		break;
	case VCPU_EXIT_INVALID:
		x->invalid.why = "VMRUN refused the guest state (VMEXIT_INVALID)";
		break;
	case VCPU_EXIT_UNKNOWN:
		monitor_log(m, "svm: guest %c: unknown exit code 0x%llx (exitinfo1 0x%llx, "
			       "exitinfo2 0x%llx)",
			    vc->g->letter, (unsigned long long)c->exit_code,
			    (unsigned long long)info1, (unsigned long long)c->exit_info2);
		break;
	default:
		break;
	}
	return 0;
}

enum exit_action svm_exit_dispatch(struct monitor *m, struct vcpu *vc)
{
	struct svm_vcpu *v = vc->arch;
	struct vmcb *vmcb = v->vmcb;
	const struct svm_exit_kind *k = svm_exit_lookup(vmcb->control.exit_code);
	enum exit_action action = EXIT_STOP;
	struct vcpu_exit x;

	vc->regs.rax = vmcb->save.rax;
	svm_exit_reinject(vmcb);
	stats_count_exit(vc, k ? k->stat : TM_EXIT_UNKNOWN);
	if (svm_exit_decode(m, vc, &x) == 0)
		action = exit_handle(m, vc, &x);
	vmcb->save.rax = vc->regs.rax;
	return action;
}
