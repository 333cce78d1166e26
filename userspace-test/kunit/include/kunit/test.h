/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Userspace KUnit: the Linux 6.1 <kunit/test.h> API, so that the very same
 * *_kunit.c files build and run as a plain program.  userspace-test/kunit/
 * runner.c implements the out-of-line parts and main().
 *
 * Only <stddef.h> and <string.h> are included, and every name defined here
 * starts with kunit_, KUNIT_, __kunit or __KUNIT, so the project's
 * <linux/...> shims may come before or after this header.
 */
#ifndef _KUNIT_TEST_H
#define _KUNIT_TEST_H

#include <stddef.h>
#include <string.h>

struct kunit;
struct __kunit_alloc;

#define KUNIT_LOG_SIZE			512
#define KUNIT_PARAM_DESC_SIZE		128
#define KUNIT_STATUS_COMMENT_SIZE	256
#define KUNIT_SUBTEST_INDENT		"    "
#define KUNIT_SUBSUBTEST_INDENT		"        "

enum kunit_status {
	KUNIT_SUCCESS,
	KUNIT_FAILURE,
	KUNIT_SKIPPED,
};

enum kunit_assert_type {
	KUNIT_ASSERTION,
	KUNIT_EXPECTATION,
};

struct kunit_case {
	void (*run_case)(struct kunit *test);
	const char *name;
	const void *(*generate_params)(const void *prev, char *desc);

	/* private: internal use only. */
	enum kunit_status status;
	char *log;
};

struct kunit_suite {
	const char name[256];
	int (*suite_init)(struct kunit_suite *suite);
	void (*suite_exit)(struct kunit_suite *suite);
	int (*init)(struct kunit *test);
	void (*exit)(struct kunit *test);
	struct kunit_case *test_cases;

	/* private: internal use only. */
	char status_comment[KUNIT_STATUS_COMMENT_SIZE];
	char *log;
	int suite_init_err;
};

struct kunit {
	void *priv;

	/* private: internal use only. */
	const char *name;
	char *log;				/* always NULL here */
	const void *param_value;
	int param_index;
	enum kunit_status status;
	char status_comment[KUNIT_STATUS_COMMENT_SIZE];
	struct __kunit_alloc *allocs;		/* newest first */
};

#define KUNIT_CASE(test_name) { .run_case = test_name, .name = #test_name }

#define KUNIT_CASE_PARAM(test_name, gen_params)				\
	{ .run_case = test_name, .name = #test_name,			\
	  .generate_params = gen_params }

/* Defines name##_gen_params() stepping through @array; @get_desc may be NULL. */
#define KUNIT_ARRAY_PARAM(name, array, get_desc)			\
	static __attribute__((__unused__)) const void *			\
	name##_gen_params(const void *prev, char *desc)			\
	{								\
		__typeof__((array)[0]) *__next =			\
			prev ? (__typeof__(__next))prev + 1 : (array);	\
		void (*__get_desc)(__typeof__(__next), char *) = get_desc; \
									\
		if ((size_t)(__next - (array)) >=			\
		    sizeof(array) / sizeof((array)[0]))			\
			return NULL;					\
		if (__get_desc)						\
			__get_desc(__next, desc);			\
		return __next;						\
	}

#define kunit_suite_for_each_test_case(suite, test_case)		\
	for (test_case = (suite)->test_cases; test_case->run_case; test_case++)

static inline const char *kunit_status_to_ok_not_ok(enum kunit_status status)
{
	return status == KUNIT_FAILURE ? "not ok" : "ok";
}

static inline void kunit_set_failure(struct kunit *test)
{
	test->status = KUNIT_FAILURE;
}

/*
 * Each kunit_test_suites() puts one pointer to a NULL terminated array of
 * suites in the "kunit_test_suites" section, which the runner walks from
 * __start_kunit_test_suites to __stop_kunit_test_suites.  Link the test
 * objects directly: nothing references them, so an archive would drop them.
 */
#define __KUNIT_CAT2(a, b)	a##b
#define __KUNIT_CAT(a, b)	__KUNIT_CAT2(a, b)

#define __kunit_test_suites(array, ...)					\
	static struct kunit_suite *array[] = { __VA_ARGS__, NULL };	\
	static struct kunit_suite **__KUNIT_CAT(array, _entry)		\
	__attribute__((__used__, __section__("kunit_test_suites"),	\
		       __aligned__(sizeof(void *)))) = array

#define kunit_test_suites(...)						\
	__kunit_test_suites(__KUNIT_CAT(__kunit_suites_, __COUNTER__),	\
			    __VA_ARGS__)
#define kunit_test_suite(suite)		kunit_test_suites(&suite)
#define kunit_test_init_section_suites(...) kunit_test_suites(__VA_ARGS__)
#define kunit_test_init_section_suite(suite) kunit_test_suites(&suite)

/*
 * Test-managed memory, freed newest first when the test case ends.  @gfp is
 * ignored; kmalloc'ed memory is poisoned, kzalloc'ed/kcalloc'ed is zeroed.
 */
void *__kunit_alloc(struct kunit *test, size_t n, size_t size, int zero);
void kunit_kfree(struct kunit *test, const void *ptr);

static inline void *kunit_kmalloc_array(struct kunit *test, size_t n,
					size_t size, unsigned int gfp)
{
	(void)gfp;
	return __kunit_alloc(test, n, size, 0);
}

static inline void *kunit_kmalloc(struct kunit *test, size_t size,
				  unsigned int gfp)
{
	return kunit_kmalloc_array(test, 1, size, gfp);
}

static inline void *kunit_kcalloc(struct kunit *test, size_t n, size_t size,
				  unsigned int gfp)
{
	(void)gfp;
	return __kunit_alloc(test, n, size, 1);
}

static inline void *kunit_kzalloc(struct kunit *test, size_t size,
				  unsigned int gfp)
{
	return kunit_kcalloc(test, 1, size, gfp);
}

/* One line per message on stdout; a leading KERN_<LEVEL> is dropped. */
void __kunit_log(const char *fmt, ...)
	__attribute__((__format__(__printf__, 1, 2)));

#define kunit_log(lvl, test_or_suite, fmt, ...)				\
	((void)(test_or_suite), __kunit_log(lvl fmt, ##__VA_ARGS__))

#define kunit_printk(lvl, test_or_suite, fmt, ...)			\
	kunit_log(lvl, test_or_suite, KUNIT_SUBTEST_INDENT "# %s: " fmt, \
		  (test_or_suite)->name, ##__VA_ARGS__)

#define kunit_info(test, fmt, ...)	kunit_printk("", test, fmt, ##__VA_ARGS__)
#define kunit_warn(test, fmt, ...)	kunit_printk("", test, fmt, ##__VA_ARGS__)
#define kunit_err(test, fmt, ...)	kunit_printk("", test, fmt, ##__VA_ARGS__)

/* Skipping.  A test that has already failed stays failed. */
void __kunit_mark_skipped(struct kunit *test, const char *fmt, ...)
	__attribute__((__format__(__printf__, 2, 3)));
void __kunit_abort(struct kunit *test) __attribute__((__noreturn__));

#define kunit_mark_skipped(test, fmt, ...)				\
	__kunit_mark_skipped(test, fmt, ##__VA_ARGS__)

#define kunit_skip(test, fmt, ...)					\
	do {								\
		__kunit_mark_skipped(test, fmt, ##__VA_ARGS__);		\
		__kunit_abort(test);					\
	} while (0)

/*
 * Failure reports.  What a check is lives in a static struct per call site;
 * the two runtime values travel as unsigned long long: integers (converted
 * from their own type, so signed ones sign-extend) or pointers.
 */
enum __kunit_check {
	__KUNIT_FAIL,
	__KUNIT_TRUE,
	__KUNIT_FALSE,
	__KUNIT_INT,
	__KUNIT_PTR,
	__KUNIT_STR,
	__KUNIT_NOT_ERR_OR_NULL,
};

struct __kunit_site {
	const char *file;
	int line;
	enum kunit_assert_type type;
	enum __kunit_check check;
	_Bool left_signed, right_signed;
	const char *op, *left, *right;
};

void __kunit_failed(struct kunit *test, const struct __kunit_site *site,
		    unsigned long long left, unsigned long long right,
		    const char *fmt, ...)
	__attribute__((__format__(__printf__, 5, 6)));

/* A constant expression even for a variable x: is x of a signed type? */
#define __kunit_signed(x)	((__typeof__(x))-1 < (__typeof__(x))1)
#define __kunit_ptr(p)		((unsigned long long)(unsigned long)(const void *)(p))

#define __KUNIT_FAILED(test, type_, check_, op_, ltext, rtext, lsigned,	\
		       rsigned, lval, rval, fmt, ...)			\
	do {								\
		static const struct __kunit_site __kunit_site = {	\
			.file = __FILE__, .line = __LINE__,		\
			.type = type_, .check = check_,			\
			.left_signed = lsigned, .right_signed = rsigned, \
			.op = op_, .left = ltext, .right = rtext,	\
		};							\
		__kunit_failed(test, &__kunit_site, lval, rval,		\
			       fmt, ##__VA_ARGS__);			\
		if ((type_) == KUNIT_ASSERTION)				\
			__kunit_abort(test);				\
	} while (0)

#define __KUNIT_FAILURE(test, type, fmt, ...)				\
	__KUNIT_FAILED(test, type, __KUNIT_FAIL, NULL, NULL, NULL, 0, 0, \
		       0, 0, fmt, ##__VA_ARGS__)

#define __KUNIT_BOOL(test, type, want, cond, text, fmt, ...)		\
	do {								\
		if (!(cond) == !(want))					\
			break;						\
		__KUNIT_FAILED(test, type,				\
			       (want) ? __KUNIT_TRUE : __KUNIT_FALSE,	\
			       NULL, text, NULL, 0, 0, 0, 0,		\
			       fmt, ##__VA_ARGS__);			\
	} while (0)

/*
 * Each operand is evaluated once, into a variable of its own type.  Both are
 * then cast to the type C's usual arithmetic conversions would give them:
 * the result is what a plain comparison gives (as in the kernel), without
 * -Wsign-compare noise.
 */
#define __KUNIT_INT(test, type, left, op, right, ltext, rtext, fmt, ...) \
	do {								\
		__typeof__(left) __kunit_l = (left);			\
		__typeof__(right) __kunit_r = (right);			\
		typedef __typeof__(__kunit_l + __kunit_r) __kunit_t;	\
									\
		if ((__kunit_t)__kunit_l op (__kunit_t)__kunit_r)	\
			break;						\
		__KUNIT_FAILED(test, type, __KUNIT_INT, #op, ltext, rtext, \
			       __kunit_signed(__kunit_l),		\
			       __kunit_signed(__kunit_r),		\
			       (unsigned long long)__kunit_l,		\
			       (unsigned long long)__kunit_r,		\
			       fmt, ##__VA_ARGS__);			\
	} while (0)

#define __KUNIT_PTR(test, type, left, op, right, ltext, rtext, fmt, ...) \
	do {								\
		__typeof__(left) __kunit_l = (left);			\
		__typeof__(right) __kunit_r = (right);			\
									\
		if (__kunit_l op __kunit_r)				\
			break;						\
		__KUNIT_FAILED(test, type, __KUNIT_PTR, #op, ltext, rtext, \
			       0, 0, __kunit_ptr(__kunit_l),		\
			       __kunit_ptr(__kunit_r), fmt, ##__VA_ARGS__); \
	} while (0)

/* Unlike the kernel, a NULL string fails the check instead of oopsing. */
#define __KUNIT_STR(test, type, left, op, right, ltext, rtext, fmt, ...) \
	do {								\
		const char *__kunit_l = (left);				\
		const char *__kunit_r = (right);			\
									\
		if (__kunit_l && __kunit_r &&				\
		    strcmp(__kunit_l, __kunit_r) op 0)			\
			break;						\
		__KUNIT_FAILED(test, type, __KUNIT_STR, #op, ltext, rtext, \
			       0, 0, __kunit_ptr(__kunit_l),		\
			       __kunit_ptr(__kunit_r), fmt, ##__VA_ARGS__); \
	} while (0)

static inline int __kunit_is_err_or_null(const void *ptr)
{
	return !ptr || (unsigned long)ptr >= (unsigned long)-4095;
}

#define __KUNIT_NOT_ERR_OR_NULL(test, type, ptr, text, fmt, ...)	\
	do {								\
		__typeof__(ptr) __kunit_p = (ptr);			\
									\
		if (!__kunit_is_err_or_null(__kunit_p))			\
			break;						\
		__KUNIT_FAILED(test, type, __KUNIT_NOT_ERR_OR_NULL, NULL, \
			       text, NULL, 0, 0, __kunit_ptr(__kunit_p), 0, \
			       fmt, ##__VA_ARGS__);			\
	} while (0)

/*
 * The public checks.  Operand text is taken here, before macro expansion,
 * so a failure shows the expression as written.
 */
#define KUNIT_SUCCEED(test)		do { (void)(test); } while (0)
#define KUNIT_FAIL(test, fmt, ...)					\
	__KUNIT_FAILURE(test, KUNIT_EXPECTATION, fmt, ##__VA_ARGS__)
#define KUNIT_ASSERT_FAILURE(test, fmt, ...)				\
	__KUNIT_FAILURE(test, KUNIT_ASSERTION, fmt, ##__VA_ARGS__)

#define KUNIT_EXPECT_TRUE(test, cond)					\
	__KUNIT_BOOL(test, KUNIT_EXPECTATION, 1, cond, #cond, NULL)
#define KUNIT_EXPECT_TRUE_MSG(test, cond, fmt, ...)			\
	__KUNIT_BOOL(test, KUNIT_EXPECTATION, 1, cond, #cond, fmt, ##__VA_ARGS__)
#define KUNIT_EXPECT_FALSE(test, cond)					\
	__KUNIT_BOOL(test, KUNIT_EXPECTATION, 0, cond, #cond, NULL)
#define KUNIT_EXPECT_FALSE_MSG(test, cond, fmt, ...)			\
	__KUNIT_BOOL(test, KUNIT_EXPECTATION, 0, cond, #cond, fmt, ##__VA_ARGS__)
#define KUNIT_EXPECT_EQ(test, l, r)					\
	__KUNIT_INT(test, KUNIT_EXPECTATION, l, ==, r, #l, #r, NULL)
#define KUNIT_EXPECT_EQ_MSG(test, l, r, fmt, ...)			\
	__KUNIT_INT(test, KUNIT_EXPECTATION, l, ==, r, #l, #r, fmt, ##__VA_ARGS__)
#define KUNIT_EXPECT_NE(test, l, r)					\
	__KUNIT_INT(test, KUNIT_EXPECTATION, l, !=, r, #l, #r, NULL)
#define KUNIT_EXPECT_NE_MSG(test, l, r, fmt, ...)			\
	__KUNIT_INT(test, KUNIT_EXPECTATION, l, !=, r, #l, #r, fmt, ##__VA_ARGS__)
#define KUNIT_EXPECT_LT(test, l, r)					\
	__KUNIT_INT(test, KUNIT_EXPECTATION, l, <, r, #l, #r, NULL)
#define KUNIT_EXPECT_LT_MSG(test, l, r, fmt, ...)			\
	__KUNIT_INT(test, KUNIT_EXPECTATION, l, <, r, #l, #r, fmt, ##__VA_ARGS__)
#define KUNIT_EXPECT_LE(test, l, r)					\
	__KUNIT_INT(test, KUNIT_EXPECTATION, l, <=, r, #l, #r, NULL)
#define KUNIT_EXPECT_LE_MSG(test, l, r, fmt, ...)			\
	__KUNIT_INT(test, KUNIT_EXPECTATION, l, <=, r, #l, #r, fmt, ##__VA_ARGS__)
#define KUNIT_EXPECT_GT(test, l, r)					\
	__KUNIT_INT(test, KUNIT_EXPECTATION, l, >, r, #l, #r, NULL)
#define KUNIT_EXPECT_GT_MSG(test, l, r, fmt, ...)			\
	__KUNIT_INT(test, KUNIT_EXPECTATION, l, >, r, #l, #r, fmt, ##__VA_ARGS__)
#define KUNIT_EXPECT_GE(test, l, r)					\
	__KUNIT_INT(test, KUNIT_EXPECTATION, l, >=, r, #l, #r, NULL)
#define KUNIT_EXPECT_GE_MSG(test, l, r, fmt, ...)			\
	__KUNIT_INT(test, KUNIT_EXPECTATION, l, >=, r, #l, #r, fmt, ##__VA_ARGS__)
#define KUNIT_EXPECT_PTR_EQ(test, l, r)					\
	__KUNIT_PTR(test, KUNIT_EXPECTATION, l, ==, r, #l, #r, NULL)
#define KUNIT_EXPECT_PTR_EQ_MSG(test, l, r, fmt, ...)			\
	__KUNIT_PTR(test, KUNIT_EXPECTATION, l, ==, r, #l, #r, fmt, ##__VA_ARGS__)
#define KUNIT_EXPECT_PTR_NE(test, l, r)					\
	__KUNIT_PTR(test, KUNIT_EXPECTATION, l, !=, r, #l, #r, NULL)
#define KUNIT_EXPECT_PTR_NE_MSG(test, l, r, fmt, ...)			\
	__KUNIT_PTR(test, KUNIT_EXPECTATION, l, !=, r, #l, #r, fmt, ##__VA_ARGS__)
#define KUNIT_EXPECT_STREQ(test, l, r)					\
	__KUNIT_STR(test, KUNIT_EXPECTATION, l, ==, r, #l, #r, NULL)
#define KUNIT_EXPECT_STREQ_MSG(test, l, r, fmt, ...)			\
	__KUNIT_STR(test, KUNIT_EXPECTATION, l, ==, r, #l, #r, fmt, ##__VA_ARGS__)
#define KUNIT_EXPECT_STRNEQ(test, l, r)					\
	__KUNIT_STR(test, KUNIT_EXPECTATION, l, !=, r, #l, #r, NULL)
#define KUNIT_EXPECT_STRNEQ_MSG(test, l, r, fmt, ...)			\
	__KUNIT_STR(test, KUNIT_EXPECTATION, l, !=, r, #l, #r, fmt, ##__VA_ARGS__)
#define KUNIT_EXPECT_NULL(test, p)					\
	__KUNIT_PTR(test, KUNIT_EXPECTATION, p, ==, NULL, #p, "NULL", NULL)
#define KUNIT_EXPECT_NULL_MSG(test, p, fmt, ...)			\
	__KUNIT_PTR(test, KUNIT_EXPECTATION, p, ==, NULL, #p, "NULL", fmt, ##__VA_ARGS__)
#define KUNIT_EXPECT_NOT_NULL(test, p)					\
	__KUNIT_PTR(test, KUNIT_EXPECTATION, p, !=, NULL, #p, "NULL", NULL)
#define KUNIT_EXPECT_NOT_NULL_MSG(test, p, fmt, ...)			\
	__KUNIT_PTR(test, KUNIT_EXPECTATION, p, !=, NULL, #p, "NULL", fmt, ##__VA_ARGS__)
#define KUNIT_EXPECT_NOT_ERR_OR_NULL(test, p)				\
	__KUNIT_NOT_ERR_OR_NULL(test, KUNIT_EXPECTATION, p, #p, NULL)
#define KUNIT_EXPECT_NOT_ERR_OR_NULL_MSG(test, p, fmt, ...)		\
	__KUNIT_NOT_ERR_OR_NULL(test, KUNIT_EXPECTATION, p, #p, fmt, ##__VA_ARGS__)

#define KUNIT_ASSERT_TRUE(test, cond)					\
	__KUNIT_BOOL(test, KUNIT_ASSERTION, 1, cond, #cond, NULL)
#define KUNIT_ASSERT_TRUE_MSG(test, cond, fmt, ...)			\
	__KUNIT_BOOL(test, KUNIT_ASSERTION, 1, cond, #cond, fmt, ##__VA_ARGS__)
#define KUNIT_ASSERT_FALSE(test, cond)					\
	__KUNIT_BOOL(test, KUNIT_ASSERTION, 0, cond, #cond, NULL)
#define KUNIT_ASSERT_FALSE_MSG(test, cond, fmt, ...)			\
	__KUNIT_BOOL(test, KUNIT_ASSERTION, 0, cond, #cond, fmt, ##__VA_ARGS__)
#define KUNIT_ASSERT_EQ(test, l, r)					\
	__KUNIT_INT(test, KUNIT_ASSERTION, l, ==, r, #l, #r, NULL)
#define KUNIT_ASSERT_EQ_MSG(test, l, r, fmt, ...)			\
	__KUNIT_INT(test, KUNIT_ASSERTION, l, ==, r, #l, #r, fmt, ##__VA_ARGS__)
#define KUNIT_ASSERT_NE(test, l, r)					\
	__KUNIT_INT(test, KUNIT_ASSERTION, l, !=, r, #l, #r, NULL)
#define KUNIT_ASSERT_NE_MSG(test, l, r, fmt, ...)			\
	__KUNIT_INT(test, KUNIT_ASSERTION, l, !=, r, #l, #r, fmt, ##__VA_ARGS__)
#define KUNIT_ASSERT_LT(test, l, r)					\
	__KUNIT_INT(test, KUNIT_ASSERTION, l, <, r, #l, #r, NULL)
#define KUNIT_ASSERT_LT_MSG(test, l, r, fmt, ...)			\
	__KUNIT_INT(test, KUNIT_ASSERTION, l, <, r, #l, #r, fmt, ##__VA_ARGS__)
#define KUNIT_ASSERT_LE(test, l, r)					\
	__KUNIT_INT(test, KUNIT_ASSERTION, l, <=, r, #l, #r, NULL)
#define KUNIT_ASSERT_LE_MSG(test, l, r, fmt, ...)			\
	__KUNIT_INT(test, KUNIT_ASSERTION, l, <=, r, #l, #r, fmt, ##__VA_ARGS__)
#define KUNIT_ASSERT_GT(test, l, r)					\
	__KUNIT_INT(test, KUNIT_ASSERTION, l, >, r, #l, #r, NULL)
#define KUNIT_ASSERT_GT_MSG(test, l, r, fmt, ...)			\
	__KUNIT_INT(test, KUNIT_ASSERTION, l, >, r, #l, #r, fmt, ##__VA_ARGS__)
#define KUNIT_ASSERT_GE(test, l, r)					\
	__KUNIT_INT(test, KUNIT_ASSERTION, l, >=, r, #l, #r, NULL)
#define KUNIT_ASSERT_GE_MSG(test, l, r, fmt, ...)			\
	__KUNIT_INT(test, KUNIT_ASSERTION, l, >=, r, #l, #r, fmt, ##__VA_ARGS__)
#define KUNIT_ASSERT_PTR_EQ(test, l, r)					\
	__KUNIT_PTR(test, KUNIT_ASSERTION, l, ==, r, #l, #r, NULL)
#define KUNIT_ASSERT_PTR_EQ_MSG(test, l, r, fmt, ...)			\
	__KUNIT_PTR(test, KUNIT_ASSERTION, l, ==, r, #l, #r, fmt, ##__VA_ARGS__)
#define KUNIT_ASSERT_PTR_NE(test, l, r)					\
	__KUNIT_PTR(test, KUNIT_ASSERTION, l, !=, r, #l, #r, NULL)
#define KUNIT_ASSERT_PTR_NE_MSG(test, l, r, fmt, ...)			\
	__KUNIT_PTR(test, KUNIT_ASSERTION, l, !=, r, #l, #r, fmt, ##__VA_ARGS__)
#define KUNIT_ASSERT_STREQ(test, l, r)					\
	__KUNIT_STR(test, KUNIT_ASSERTION, l, ==, r, #l, #r, NULL)
#define KUNIT_ASSERT_STREQ_MSG(test, l, r, fmt, ...)			\
	__KUNIT_STR(test, KUNIT_ASSERTION, l, ==, r, #l, #r, fmt, ##__VA_ARGS__)
#define KUNIT_ASSERT_STRNEQ(test, l, r)					\
	__KUNIT_STR(test, KUNIT_ASSERTION, l, !=, r, #l, #r, NULL)
#define KUNIT_ASSERT_STRNEQ_MSG(test, l, r, fmt, ...)			\
	__KUNIT_STR(test, KUNIT_ASSERTION, l, !=, r, #l, #r, fmt, ##__VA_ARGS__)
#define KUNIT_ASSERT_NULL(test, p)					\
	__KUNIT_PTR(test, KUNIT_ASSERTION, p, ==, NULL, #p, "NULL", NULL)
#define KUNIT_ASSERT_NULL_MSG(test, p, fmt, ...)			\
	__KUNIT_PTR(test, KUNIT_ASSERTION, p, ==, NULL, #p, "NULL", fmt, ##__VA_ARGS__)
#define KUNIT_ASSERT_NOT_NULL(test, p)					\
	__KUNIT_PTR(test, KUNIT_ASSERTION, p, !=, NULL, #p, "NULL", NULL)
#define KUNIT_ASSERT_NOT_NULL_MSG(test, p, fmt, ...)			\
	__KUNIT_PTR(test, KUNIT_ASSERTION, p, !=, NULL, #p, "NULL", fmt, ##__VA_ARGS__)
#define KUNIT_ASSERT_NOT_ERR_OR_NULL(test, p)				\
	__KUNIT_NOT_ERR_OR_NULL(test, KUNIT_ASSERTION, p, #p, NULL)
#define KUNIT_ASSERT_NOT_ERR_OR_NULL_MSG(test, p, fmt, ...)		\
	__KUNIT_NOT_ERR_OR_NULL(test, KUNIT_ASSERTION, p, #p, fmt, ##__VA_ARGS__)
#endif /* _KUNIT_TEST_H */
