/* SPDX-License-Identifier: GPL-2.0 */
/* Userspace shim: compiler attributes and annotations. */
#ifndef _SHIM_LINUX_COMPILER_H
#define _SHIM_LINUX_COMPILER_H

#define likely(x)		__builtin_expect(!!(x), 1)
#define unlikely(x)		__builtin_expect(!!(x), 0)
#define __same_type(a, b)	__builtin_types_compatible_p(typeof(a), typeof(b))
#undef __always_inline
#define __always_inline		inline __attribute__((__always_inline__))
#define noinline		__attribute__((__noinline__))
#define __must_check		__attribute__((__warn_unused_result__))
#define __printf(a, b)		__attribute__((__format__(printf, a, b)))
#define __maybe_unused		__attribute__((__unused__))
#define __aligned(x)		__attribute__((__aligned__(x)))
#define fallthrough		__attribute__((__fallthrough__))
#define READ_ONCE(x)		(*(const volatile typeof(x) *)&(x))
#define WRITE_ONCE(x, v)	(*(volatile typeof(x) *)&(x) = (v))
#define barrier()		__asm__ __volatile__("" : : : "memory")

#endif
