/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kvgrow growth policies: pure functions from (old capacity, needed
 * capacity, element size) to a new capacity.
 *
 * All sizes are in elements unless named *_bytes.  A capacity is never
 * allowed to need more than KVG_MAX_BYTES bytes: that is what kvmalloc()
 * accepts (INT_MAX).
 */
#ifndef _KVGROW_POLICY_H
#define _KVGROW_POLICY_H

#include <linux/types.h>
#include <linux/limits.h>

#define KVG_MAX_BYTES		((size_t)INT_MAX)
/* Longest policy name kvg_policy_name() writes, with the NUL. */
#define KVG_POLICY_NAME_MAX	24
/* Largest numerator or denominator of a factor:N/D policy. */
#define KVG_FACTOR_MAX		1000

/*
 * Page-backed vectors (KVG_BACKEND_PAGES, lib/vec_pages.c): a vector that
 * may sleep keeps a capacity of KVG_PAGES_MIN_BYTES or more in pages of
 * its own, mapped with vmap(), and grows by mapping them again with the
 * new ones instead of copying.  The figure is measured: see
 * KVG_PAGES_MEASURED in lib/vec_pages.c.
 */
#define KVG_PAGES_MIN_BYTES	(128UL << 10)
/*
 * Above KVG_PAGES_MIN_BYTES the kvg policy grows page-backed vectors by
 * 1/KVG_PAGES_STEP_DIV of their capacity (at least a page): each page is
 * mapped about KVG_PAGES_STEP_DIV + 1 times in all, and the slack stays
 * below 1/(KVG_PAGES_STEP_DIV + 1) of the pages plus the page array.
 */
#define KVG_PAGES_STEP_DIV	32

enum kvg_policy_kind {
	KVG_POLICY_KVG,		/* Go 1.18+ formula, kernel allocator rounding */
	KVG_POLICY_GO119,	/* Go 1.19 growslice, Go size classes */
	KVG_POLICY_GO_LEGACY,	/* Go <= 1.17: x2 below 1024, then x1.25 */
	KVG_POLICY_FACTOR,	/* max(needed, cap * num / den), no rounding */
	KVG_POLICY_EXACT,	/* exactly what is needed */
	KVG_POLICY_POW2,	/* next power of two, like bcachefs darray */
	KVG_POLICY_NR,
};

struct kvg_policy {
	u16 kind;		/* enum kvg_policy_kind */
	u16 num;		/* KVG_POLICY_FACTOR only */
	u16 den;
};

#define KVG_POLICY(k)		((struct kvg_policy){ .kind = KVG_POLICY_##k })
#define KVG_POLICY_FACTOR_OF(n, d) \
	((struct kvg_policy){ .kind = KVG_POLICY_FACTOR, .num = (n), .den = (d) })

bool kvg_policy_valid(struct kvg_policy p);
int kvg_policy_parse(const char *s, struct kvg_policy *p);
int kvg_policy_name(struct kvg_policy p, char *buf, size_t len);
const char *kvg_policy_describe(unsigned int kind, const char **rule);

int kvg_policy_grow(struct kvg_policy p, size_t old_cap, size_t needed,
		    size_t elem_size, size_t *new_cap);
int kvg_policy_fit(struct kvg_policy p, size_t n, size_t elem_size,
		   size_t *cap);
int kvg_policy_grow_pages(struct kvg_policy p, size_t old_cap, size_t needed,
			  size_t elem_size, size_t *new_cap);
int kvg_policy_fit_pages(struct kvg_policy p, size_t n, size_t elem_size,
			 size_t *cap);

size_t kvg_kvmalloc_roundup(size_t bytes);

#endif /* _KVGROW_POLICY_H */
