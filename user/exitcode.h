/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Exit statuses of dmswap-trace; the README's list and the man page's EXIT
 * STATUS (tests/host/man.sh) must match.
 */
#ifndef DMSWAP_EXITCODE_H
#define DMSWAP_EXITCODE_H

enum dmswap_exit {
	EXIT_OK = 0,
	EXIT_VIOLATION = 1, /* an invariant was violated */
	EXIT_USAGE = 2, /* bad option or argument */
	EXIT_PRIVILEGE = 3, /* a capability missing (caps.c), or EPERM from the kernel */
	EXIT_NO_BTF = 4, /* kernel has no /sys/kernel/btf/vmlinux */
	EXIT_NO_DM = 5, /* dm_mod is not loaded (and --wait not given) */
	EXIT_UNKNOWN_DEV = 6, /* --dev names no existing dm device */
	EXIT_OUTPUT = 7, /* an output file cannot be written */
	EXIT_KERNEL = 8, /* loading or attaching failed, or nothing attachable */
	EXIT_NO_FAULT_INJECTION = 9, /* explore: the kernel cannot fail allocations */
	EXIT_INPUT = 10, /* report: a log cannot be read (the report is incomplete) */
	EXIT_NOT_A_LOG = 11, /* report: a file holds no record of the tool (not a log) */
};

#endif /* DMSWAP_EXITCODE_H */
