/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the kvgrow fuzz harnesses share: a reader of the fuzzer's input
 * bytes (zeros once they run out, so every input is a valid program), a
 * check that aborts with a message.  (Each input reseeds the random shim,
 * shim_random_seed(), so that it replays exactly.)
 */
#ifndef _KVG_FUZZ_H
#define _KVG_FUZZ_H

#include <stdio.h>
#include <stdlib.h>
#include <linux/random.h>
#include <linux/types.h>
#include <kvgrow/fault.h>

struct fuzz_in {
	const u8 *p;
	size_t n;
};

static inline bool fuzz_left(const struct fuzz_in *in)
{
	return in->n;
}

static inline u8 fuzz_u8(struct fuzz_in *in)
{
	if (!in->n)
		return 0;
	in->n--;
	return *in->p++;
}

static inline u16 fuzz_u16(struct fuzz_in *in)
{
	return fuzz_u8(in) | (u16)fuzz_u8(in) << 8;
}

static inline u32 fuzz_u32(struct fuzz_in *in)
{
	return fuzz_u16(in) | (u32)fuzz_u16(in) << 16;
}

/*
 * Fail allocations at random from now on: not at all for half the selector
 * bytes, else at a rate the input chooses, with a seed it chooses.
 */
static inline void fuzz_fail_random(struct fuzz_in *in)
{
	u8 sel = fuzz_u8(in);

	kvg_fault_fail_random(sel < 128 ? 0 : (sel - 127) * 4, fuzz_u16(in));
}

/* Aborts: libFuzzer reports the input as a crash. */
#define FUZZ_CHECK(cond, fmt, ...)					\
do {									\
	if (!(cond)) {							\
		fprintf(stderr, "%s:%d: check failed: %s: " fmt "\n",	\
			__FILE__, __LINE__, #cond, ##__VA_ARGS__);	\
		abort();						\
	}								\
} while (0)

#endif /* _KVG_FUZZ_H */
