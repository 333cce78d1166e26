/* SPDX-License-Identifier: GPL-2.0 */
/* Userspace shim: atomics on the compiler's builtins. */
#ifndef _SHIM_LINUX_ATOMIC_H
#define _SHIM_LINUX_ATOMIC_H

typedef struct { long counter; } atomic_long_t;
typedef struct { long long counter; } atomic64_t;

#define ATOMIC_LONG_INIT(i)	{ (i) }
#define ATOMIC64_INIT(i)	{ (i) }

#define atomic_read(v)		__atomic_load_n(&(v)->counter, __ATOMIC_RELAXED)
#define atomic_set(v, i)	__atomic_store_n(&(v)->counter, (i), __ATOMIC_RELAXED)
#define atomic_add(i, v)	((void)__atomic_add_fetch(&(v)->counter, (i), __ATOMIC_SEQ_CST))
#define atomic_inc(v)		atomic_add(1, v)
#define atomic_dec(v)		atomic_add(-1, v)
#define atomic_sub(i, v)	((void)__atomic_sub_fetch(&(v)->counter, (i), __ATOMIC_SEQ_CST))
#define atomic_add_return(i, v)	__atomic_add_fetch(&(v)->counter, (i), __ATOMIC_SEQ_CST)
#define atomic_try_cmpxchg(v, old, new)					\
	__atomic_compare_exchange_n(&(v)->counter, (old), (new), 0,	\
				    __ATOMIC_SEQ_CST, __ATOMIC_RELAXED)
#define atomic_long_read	atomic_read
#define atomic_long_set		atomic_set
#define atomic_long_inc		atomic_inc
#define atomic_long_dec		atomic_dec
#define atomic_long_sub		atomic_sub
#define atomic_long_add_return	atomic_add_return
#define atomic_long_try_cmpxchg	atomic_try_cmpxchg
#define atomic64_read		atomic_read
#define atomic64_set		atomic_set
#define atomic64_add		atomic_add
#define atomic64_inc		atomic_inc
#define atomic64_inc_return(v)	atomic_add_return(1, v)

#endif
