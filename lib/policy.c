// SPDX-License-Identifier: GPL-2.0
/*
 * kvgrow growth policies.
 *
 * go119 reproduces Go 1.19's runtime.growslice and runtime.roundupsize
 * (runtime/slice.go, runtime/msize.go, runtime/sizeclasses.go) so that its
 * capacities are Go's, element size by element size.  kvg uses the same
 * Go 1.18+ formula but rounds to what kvmalloc() really hands out, so the
 * allocator's slack becomes usable capacity.
 */
#include <linux/errno.h>
#include <linux/export.h>
#include <linux/kernel.h>
#include <linux/log2.h>
#include <linux/mm.h>
#include <linux/overflow.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/stringify.h>
#include <kvgrow/policy.h>

/* Go 1.19's malloc size classes up to _MaxSmallSize, then 8 KiB pages. */
static const u16 go_size_class[] = {
	8, 16, 24, 32, 48, 64, 80, 96, 112, 128, 144, 160, 176, 192, 208,
	224, 240, 256, 288, 320, 352, 384, 416, 448, 480, 512, 576, 640, 704,
	768, 896, 1024, 1152, 1280, 1408, 1536, 1792, 2048, 2304, 2688, 3072,
	3200, 3456, 4096, 4864, 5376, 6144, 6528, 6784, 6912, 8192, 9472,
	9728, 10240, 10880, 12288, 13568, 14336, 16384, 18432, 19072, 20480,
	21760, 24576, 27264, 28672, 32768,
};

#define GO_MAX_SMALL_SIZE	32768
#define GO_PAGE_SIZE		8192

static size_t go_roundupsize(size_t size)
{
	size_t lo = 0, hi = ARRAY_SIZE(go_size_class) - 1;

	if (!size)
		return 0;
	if (size >= GO_MAX_SMALL_SIZE)
		return round_up(size, GO_PAGE_SIZE);
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;

		if (go_size_class[mid] < size)
			lo = mid + 1;
		else
			hi = mid;
	}
	return go_size_class[lo];
}

/**
 * kvg_kvmalloc_roundup() - The size kvmalloc() really hands out.
 * @bytes: A request size.
 *
 * Context: Any context.
 * Return: The bytes the allocator reserves for a kvmalloc() of @bytes:
 * kmalloc()'s rounding up to KMALLOC_MAX_SIZE, whole pages above it.
 */
size_t kvg_kvmalloc_roundup(size_t bytes)
{
	/*
	 * Up to KMALLOC_MAX_SIZE kvmalloc() tries kmalloc() first: a slab
	 * class up to KMALLOC_MAX_CACHE_SIZE, a power-of-two number of pages
	 * above it.  Beyond that only vmalloc() can serve, in whole pages.
	 */
	if (bytes > KMALLOC_MAX_SIZE)
		return PAGE_ALIGN(bytes);
	return kmalloc_size_roundup(bytes);
}
EXPORT_SYMBOL_GPL(kvg_kvmalloc_roundup);

/* The capacity before rounding: Go 1.18+ with @threshold 256, or <= 1.17. */
static size_t go_newcap(size_t old_cap, size_t needed, bool legacy)
{
	size_t newcap = old_cap;

	if (needed > 2 * old_cap)
		return needed;
	if (old_cap < (legacy ? 1024 : 256))
		return 2 * old_cap;
	while (newcap < needed)
		newcap += legacy ? newcap / 4 : (newcap + 3 * 256) / 4;
	return newcap;
}

/* Round @cap elements up to @round_fn's byte size, never past @max_cap. */
static size_t round_cap(size_t cap, size_t elem_size, size_t max_cap,
			size_t (*round_fn)(size_t))
{
	if (cap >= max_cap)
		return max_cap;
	return min(round_fn(cap * elem_size) / elem_size, max_cap);
}

/*
 * @old_cap * @num / @den, at least @old_cap + 1, clamped to @max_cap only
 * when the step itself passes it.  Scaling the quotient and the remainder
 * by @den apart keeps every product within size_t, also on 32 bits:
 * q * @num is checked against @max_cap first, and r * @num < @den * @num.
 */
static size_t factor_step(size_t old_cap, unsigned int num, unsigned int den,
			  size_t max_cap)
{
	size_t q = old_cap / den, r = old_cap % den;

	if (q > max_cap / num)
		return max_cap;
	return min(max(q * num + r * num / den, old_cap + 1), max_cap);
}

/**
 * kvg_policy_valid() - Check a policy.
 * @p: The policy.
 *
 * Context: Any context.
 * Return: true for a known kind with num and den 0, or a factor policy
 * whose N/D is above 1 with both terms in [1, KVG_FACTOR_MAX]; false
 * otherwise.
 */
bool kvg_policy_valid(struct kvg_policy p)
{
	if (p.kind == KVG_POLICY_FACTOR)
		return p.den >= 1 && p.num > p.den && p.num <= KVG_FACTOR_MAX &&
		       p.den <= KVG_FACTOR_MAX;
	return p.kind < KVG_POLICY_NR && !p.num && !p.den;
}
EXPORT_SYMBOL_GPL(kvg_policy_valid);

/* Check the arguments every policy takes; the largest legal capacity. */
static int check_args(struct kvg_policy p, size_t n, size_t elem_size,
		      size_t *max_cap)
{
	size_t bytes;

	if (!kvg_policy_valid(p) || !elem_size)
		return -EINVAL;
	if (check_mul_overflow(n, elem_size, &bytes))
		return -EOVERFLOW;
	if (bytes > KVG_MAX_BYTES)
		return -E2BIG;
	*max_cap = KVG_MAX_BYTES / elem_size;
	return 0;
}

/**
 * kvg_policy_grow() - The capacity a policy grows to.
 * @p: The policy.
 * @old_cap: Current capacity, in elements.
 * @needed: The capacity the caller must have (len + added), > @old_cap.
 * @elem_size: Element size in bytes, not 0.
 * @new_cap: The result, >= @needed; written only on success.
 *
 * Context: Any context.
 * Return: 0; -EINVAL for a bad policy, a zero @elem_size or @needed not
 * above @old_cap; -EOVERFLOW if @needed elements overflow size_t; -E2BIG if
 * they need more than KVG_MAX_BYTES.  Where a policy would go past
 * KVG_MAX_BYTES, the capacity is clamped to it.
 */
int kvg_policy_grow(struct kvg_policy p, size_t old_cap, size_t needed,
		    size_t elem_size, size_t *new_cap)
{
	size_t max_cap, cap;
	int err;

	err = check_args(p, needed, elem_size, &max_cap);
	if (err)
		return err;
	if (needed <= old_cap)
		return -EINVAL;

	switch (p.kind) {
	case KVG_POLICY_KVG:
		cap = round_cap(go_newcap(old_cap, needed, false), elem_size,
				max_cap, kvg_kvmalloc_roundup);
		break;
	case KVG_POLICY_GO119:
		cap = round_cap(go_newcap(old_cap, needed, false), elem_size,
				max_cap, go_roundupsize);
		break;
	case KVG_POLICY_GO_LEGACY:
		cap = round_cap(go_newcap(old_cap, needed, true), elem_size,
				max_cap, go_roundupsize);
		break;
	case KVG_POLICY_FACTOR:
		/*
		 * One step when it suffices, else exactly @needed, also past
		 * Go's 2x threshold: with that threshold a factor above 2
		 * would give a bigger need a smaller capacity (factor:3/1
		 * from 10: 30 for 20 needed, 21 for 21) and an early regrow.
		 * Up to x2 both rules agree.
		 */
		cap = max(factor_step(old_cap, p.num, p.den, max_cap), needed);
		break;
	case KVG_POLICY_POW2:
		cap = roundup_pow_of_two(needed);
		break;
	default:
		cap = needed;
		break;
	}
	*new_cap = min(cap, max_cap);
	return 0;
}
EXPORT_SYMBOL_GPL(kvg_policy_grow);

/**
 * kvg_policy_fit() - The capacity for exactly @n elements.
 * @p: The policy.
 * @n: Elements wanted.
 * @elem_size: Element size in bytes, not 0.
 * @cap: The result, >= @n; written only on success.
 *
 * Used for a capacity hint (Go's make([]T, 0, n)), clip and clone.  Every
 * policy gives exactly @n, as Go does, except kvg, which rounds up to what
 * the allocator hands out anyway.
 *
 * Context: Any context.
 * Return: 0; -EINVAL for a bad policy or a zero @elem_size; -EOVERFLOW if
 * @n elements overflow size_t; -E2BIG if they need more than KVG_MAX_BYTES.
 */
int kvg_policy_fit(struct kvg_policy p, size_t n, size_t elem_size,
		   size_t *cap)
{
	size_t max_cap;
	int err;

	err = check_args(p, n, elem_size, &max_cap);
	if (err)
		return err;
	if (p.kind == KVG_POLICY_KVG)
		n = round_cap(n, elem_size, max_cap, kvg_kvmalloc_roundup);
	*cap = n;
	return 0;
}
EXPORT_SYMBOL_GPL(kvg_policy_fit);

/*
 * kvg's capacity for a page-backed vector that needs @bytes_needed, from
 * @bytes_old: a step of 1/KVG_PAGES_STEP_DIV, whole pages, never below
 * KVG_PAGES_MIN_BYTES (so the vector stays page-backed), never past
 * @max_cap elements.
 */
static size_t pages_cap(size_t bytes_old, size_t bytes_needed,
			size_t elem_size, size_t max_cap)
{
	size_t bytes = max(bytes_needed,
			   bytes_old + bytes_old / KVG_PAGES_STEP_DIV);

	bytes = max_t(size_t, bytes, KVG_PAGES_MIN_BYTES);

	if (bytes > KVG_MAX_BYTES)
		return max_cap;
	return min(PAGE_ALIGN(bytes) / elem_size, max_cap);
}

/**
 * kvg_policy_grow_pages() - The capacity a policy grows to, page-backed.
 * @p: The policy.
 * @old_cap: Current capacity, in elements.
 * @needed: The capacity the caller must have (len + added), > @old_cap.
 * @elem_size: Element size in bytes, not 0.
 * @new_cap: The result, >= @needed; written only on success.
 *
 * What a vector that may use the page backend (see KVG_PAGES_MIN_BYTES)
 * grows to.  Every policy but kvg gives what kvg_policy_grow() gives, so
 * its capacities stay those of the model it follows.  kvg gives the same
 * as kvg_policy_grow() below KVG_PAGES_MIN_BYTES; where that would reach
 * it, a step of 1/KVG_PAGES_STEP_DIV of the old capacity, or @needed if
 * more, rounded up to whole pages and to at least KVG_PAGES_MIN_BYTES.
 *
 * Context: Any context.
 * Return: 0, or the errors of kvg_policy_grow().
 */
int kvg_policy_grow_pages(struct kvg_policy p, size_t old_cap, size_t needed,
			  size_t elem_size, size_t *new_cap)
{
	size_t cap, max_cap;
	int err;

	err = kvg_policy_grow(p, old_cap, needed, elem_size, &cap);
	if (err || p.kind != KVG_POLICY_KVG ||
	    cap * elem_size < KVG_PAGES_MIN_BYTES)
		goto out;
	/* kvg_policy_grow() checked @needed and @elem_size. */
	max_cap = KVG_MAX_BYTES / elem_size;
	cap = pages_cap(old_cap * elem_size, needed * elem_size, elem_size,
			max_cap);
out:
	if (!err)
		*new_cap = cap;
	return err;
}
EXPORT_SYMBOL_GPL(kvg_policy_grow_pages);

/**
 * kvg_policy_fit_pages() - The capacity for exactly @n elements, page-backed.
 * @p: The policy.
 * @n: Elements wanted.
 * @elem_size: Element size in bytes, not 0.
 * @cap: The result, >= @n; written only on success.
 *
 * kvg_policy_fit() for a vector that may use the page backend: the same,
 * except that kvg rounds a capacity of KVG_PAGES_MIN_BYTES or more up to
 * whole pages instead of kmalloc()'s power-of-two sizes.
 *
 * Context: Any context.
 * Return: 0, or the errors of kvg_policy_fit().
 */
int kvg_policy_fit_pages(struct kvg_policy p, size_t n, size_t elem_size,
			 size_t *cap)
{
	size_t c;
	int err;

	err = kvg_policy_fit(p, n, elem_size, &c);
	if (err)
		return err;
	if (p.kind == KVG_POLICY_KVG && c * elem_size >= KVG_PAGES_MIN_BYTES)
		c = pages_cap(0, n * elem_size, elem_size,
			      KVG_MAX_BYTES / elem_size);
	*cap = c;
	return 0;
}
EXPORT_SYMBOL_GPL(kvg_policy_fit_pages);

static const char * const policy_names[KVG_POLICY_NR] = {
	[KVG_POLICY_KVG] = "kvg",
	[KVG_POLICY_GO119] = "go119",
	[KVG_POLICY_GO_LEGACY] = "go-legacy",
	[KVG_POLICY_FACTOR] = "factor:N/D",
	[KVG_POLICY_EXACT] = "exact",
	[KVG_POLICY_POW2] = "pow2",
};

static const char * const policy_rules[KVG_POLICY_NR] = {
	[KVG_POLICY_KVG] = "Go 1.18+ growth, rounded up to what kvmalloc hands out (default)",
	[KVG_POLICY_GO119] = "Go 1.19's growslice and malloc size classes",
	[KVG_POLICY_GO_LEGACY] = "Go <= 1.17: x2 below 1024, then x1.25, Go size classes",
	[KVG_POLICY_FACTOR] = "cap * N / D, N > D, both <= " __stringify(KVG_FACTOR_MAX)
			      ", no rounding",
	[KVG_POLICY_EXACT] = "exactly what is needed",
	[KVG_POLICY_POW2] = "the next power of two (bcachefs darray)",
};

/**
 * kvg_policy_describe() - A policy's name and rule, for listings
 * @kind: an enum kvg_policy_kind
 * @rule: if not NULL, set to a one-line description of how @kind grows
 *
 * The library's own list of its policies: a front end lists them all by
 * calling this with @kind 0, 1, 2, ... until it returns NULL.
 *
 * Context: Any context.
 * Return: the name kvg_policy_parse() accepts for @kind, "factor:N/D" for
 * KVG_POLICY_FACTOR; NULL, with @rule untouched, for @kind KVG_POLICY_NR
 * or above.
 */
const char *kvg_policy_describe(unsigned int kind, const char **rule)
{
	if (kind >= KVG_POLICY_NR)
		return NULL;
	if (rule)
		*rule = policy_rules[kind];
	return policy_names[kind];
}
EXPORT_SYMBOL_GPL(kvg_policy_describe);

/* Parse a decimal u16 in [1, KVG_FACTOR_MAX] ending at @end. */
static int parse_factor_term(const char *s, const char *end, u16 *out)
{
	unsigned int v = 0;

	if (s == end)
		return -EINVAL;
	for (; s < end; s++) {
		if (*s < '0' || *s > '9')
			return -EINVAL;
		v = v * 10 + (*s - '0');
		if (v > KVG_FACTOR_MAX)
			return -ERANGE;
	}
	*out = v;
	return 0;
}

/**
 * kvg_policy_parse() - Parse a policy name.
 * @s: "kvg", "go119", "go-legacy", "factor:N/D", "exact" or "pow2".
 * @p: The result, written only on success.
 *
 * Context: Any context.
 * Return: 0; -EINVAL for an unknown or malformed name or a factor that is
 * not above 1; -ERANGE for a factor term above KVG_FACTOR_MAX.
 */
int kvg_policy_parse(const char *s, struct kvg_policy *p)
{
	struct kvg_policy r = { .kind = KVG_POLICY_FACTOR };
	const char *slash;
	unsigned int i;
	int err;

	if (!strncmp(s, "factor:", 7)) {
		s += 7;
		slash = strchr(s, '/');
		if (!slash)
			return -EINVAL;
		err = parse_factor_term(s, slash, &r.num);
		if (!err)
			err = parse_factor_term(slash + 1,
						slash + 1 + strlen(slash + 1),
						&r.den);
		if (err)
			return err;
		if (!kvg_policy_valid(r))
			return -EINVAL;
		*p = r;
		return 0;
	}
	for (i = 0; i < KVG_POLICY_NR; i++) {
		if (i != KVG_POLICY_FACTOR && !strcmp(s, policy_names[i])) {
			*p = (struct kvg_policy){ .kind = i };
			return 0;
		}
	}
	return -EINVAL;
}
EXPORT_SYMBOL_GPL(kvg_policy_parse);

/**
 * kvg_policy_name() - Format a policy the way kvg_policy_parse() reads it.
 * @p: The policy.
 * @buf: Where to write the NUL-terminated name.
 * @len: Size of @buf; KVG_POLICY_NAME_MAX always suffices.
 *
 * Context: Any context.
 * Return: The length of the name without the NUL, as snprintf() returns
 * it (@len or more if @buf was too small and the name got truncated);
 * -EINVAL for an invalid policy.
 */
int kvg_policy_name(struct kvg_policy p, char *buf, size_t len)
{
	if (!kvg_policy_valid(p))
		return -EINVAL;
	if (p.kind == KVG_POLICY_FACTOR)
		return snprintf(buf, len, "factor:%u/%u", p.num, p.den);
	return snprintf(buf, len, "%s", policy_names[p.kind]);
}
EXPORT_SYMBOL_GPL(kvg_policy_name);
