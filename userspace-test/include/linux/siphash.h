/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Userspace shim: SipHash-2-4 and hsiphash with the kernel's interface.
 * hsiphash is the kernel's 64-bit flavour: SipHash-1-3 (one compression
 * round, three finalization rounds), its result truncated to 32 bits.
 */
#ifndef _SHIM_LINUX_SIPHASH_H
#define _SHIM_LINUX_SIPHASH_H

#include <linux/types.h>

typedef struct {
	u64 key[2];
} siphash_key_t;

typedef struct {
	unsigned long key[2];
} hsiphash_key_t;

u64 siphash(const void *data, size_t len, const siphash_key_t *key);

u32 hsiphash(const void *data, size_t len, const hsiphash_key_t *key);
u32 hsiphash_1u32(u32 first, const hsiphash_key_t *key);
u32 hsiphash_2u32(u32 first, u32 second, const hsiphash_key_t *key);

#endif
