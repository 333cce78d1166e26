// SPDX-License-Identifier: GPL-2.0
/*
 * kvgrow-sim replay's trace line reader (userspace-test/sim/trace-parse.c)
 * on arbitrary lines, each copied to a block of exactly its size plus the
 * NUL.  A line is skipped, refused with a reason (-EINVAL or -EPROTO), or
 * read; an event read must be a consistent one, and the line this kvgrow's
 * format gives for it must read back to the same event.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include "fuzz.h"
#include "trace-parse.h"

static const char *const names[] = {
	[KVG_TEV_MAKE] = "kvg_vec_make", [KVG_TEV_GROW] = "kvg_vec_grow",
	[KVG_TEV_SHRINK] = "kvg_vec_shrink", [KVG_TEV_FREE] = "kvg_vec_free",
};

/* @ev as lib/kvg_trace.h's TP_printk() prints it. */
static int format(const struct kvg_tev *ev, char *buf, size_t len)
{
	char policy[KVG_POLICY_NAME_MAX];

	FUZZ_CHECK(kvg_policy_name(ev->policy, policy, sizeof(policy)) > 0,
		   "an event with an invalid policy");
	if (ev->kind == KVG_TEV_FREE)
		return snprintf(buf, len, "  sh-1 [000] ..... 1.0: %s: vec=0x1 id=%llu pages=1 policy=%s elem_size=%zu len=%zu cap=%zu footprint=%zu peak=%zu grows=%llu shrinks=%llu moved=%llu caller=f+0x1/0x2 [m]",
				names[ev->kind], (unsigned long long)ev->id,
				policy, ev->elem_size, ev->len, ev->cap,
				ev->footprint, ev->peak,
				(unsigned long long)ev->grows,
				(unsigned long long)ev->shrinks,
				(unsigned long long)ev->moved);
	return snprintf(buf, len, "  sh-1 [000] ..... 1.0: %s: vec=0x1 id=%llu pages=1 policy=%s need=%zu elem_size=%zu len=%zu cap=%zu->%zu footprint=%zu moved=%llu caller=f+0x1/0x2 [m]",
			names[ev->kind], (unsigned long long)ev->id, policy,
			ev->need, ev->elem_size, ev->len, ev->old_cap, ev->cap,
			ev->footprint, (unsigned long long)ev->moved);
}

static bool same(const struct kvg_tev *a, const struct kvg_tev *b)
{
	return a->kind == b->kind && a->id == b->id &&
	       a->policy.kind == b->policy.kind && a->policy.num == b->policy.num &&
	       a->policy.den == b->policy.den && a->need == b->need &&
	       a->elem_size == b->elem_size && a->len == b->len &&
	       a->old_cap == b->old_cap && a->cap == b->cap &&
	       a->footprint == b->footprint && a->moved == b->moved &&
	       a->peak == b->peak && a->grows == b->grows &&
	       a->shrinks == b->shrinks;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *buf = malloc(size + 1), msg[256] = "", line[512];
	struct kvg_tev a, b;
	int ret, n;

	FUZZ_CHECK(buf, "out of memory");
	memcpy(buf, data, size);
	buf[size] = '\0';
	ret = kvg_trace_parse(buf, &a, msg, sizeof(msg));
	FUZZ_CHECK(ret == 0 || ret == KVG_TEV_SKIP || ret == -EINVAL ||
		   ret == -EPROTO, "returned %d", ret);
	if (ret < 0)
		FUZZ_CHECK(*msg, "refused without a reason");
	if (!ret) {
		FUZZ_CHECK(a.elem_size && a.len <= a.cap, "an inconsistent event");
		n = format(&a, line, sizeof(line));
		FUZZ_CHECK(n > 0 && n < (int)sizeof(line), "format gave %d", n);
		ret = kvg_trace_parse(line, &b, msg, sizeof(msg));
		FUZZ_CHECK(!ret, "'%s' refused: %s", line, msg);
		FUZZ_CHECK(same(&a, &b), "'%s' reads as another event",
			   line);
	}
	free(buf);
	return 0;
}
