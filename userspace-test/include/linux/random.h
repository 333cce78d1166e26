/* SPDX-License-Identifier: GPL-2.0 */
/* Userspace shim: reproducible "random" bytes, from a fixed seed. */
#ifndef _SHIM_LINUX_RANDOM_H
#define _SHIM_LINUX_RANDOM_H

#include <linux/types.h>

void get_random_bytes(void *buf, size_t len);
u64 get_random_u64(void);
/* Userspace only: restart the sequence from @seed (the fuzzers). */
void shim_random_seed(u64 seed);

#endif
