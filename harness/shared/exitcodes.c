// SPDX-License-Identifier: GPL-2.0
#include "shared/exitcodes.h"

const struct stressor_exit_info stressor_exits[ST_EXIT_COUNT] = {
	[ST_EXIT_OK] = { "ok", "did what was asked" },
	[ST_EXIT_INTERNAL] = { "internal error", "an unexpected system call failure" },
	[ST_EXIT_USAGE] = { "bad arguments or refused", "bad arguments, or an unsafe request refused" },
	[ST_EXIT_NOMEM] = { "allocation failed", "an allocation failed (malloc returned NULL, mmap "
			    "or brk said ENOMEM)" },
	[ST_EXIT_UNSUPPORTED] = { "unsupported by this kernel", "the running kernel lacks what "
				  "this mode needs" },
	[ST_EXIT_HANDSHAKE] = { "harness handshake broken", "the control socket to the harness "
				"broke" },
	[ST_EXIT_DENIED] = { "permission denied", "the kernel refused: EPERM or EACCES" },
	[ST_EXIT_LIMIT] = { "process or thread limit reached", "a process or thread limit stopped "
			    "growth" },
};
