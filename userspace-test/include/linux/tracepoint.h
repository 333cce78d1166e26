/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Userspace shim: trace events print their TP_printk() line, as tracefs's
 * trace file shows it, to shim_trace_file when a program sets it (kvgrow-sim
 * vec --trace); otherwise they only test that pointer.  %p prints the raw
 * pointer and %pS a raw address followed by an S: the replay reads neither.
 */
#ifndef _SHIM_LINUX_TRACEPOINT_H
#define _SHIM_LINUX_TRACEPOINT_H

#include <linux/types.h>

struct _IO_FILE;
extern struct _IO_FILE *shim_trace_file;
void shim_trace_print(const char *event, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

#define TP_PROTO(args...)	args
#define TP_ARGS(args...)	args
#define TP_STRUCT__entry(args...)	args
#define TP_fast_assign(args...)	args
#define TP_printk(fmt, args...)	fmt, args
#define __field(type, name)	type name;
#define __array(type, name, n)	type name[n];

#define DECLARE_EVENT_CLASS(name, proto, args, tstruct, assign, print)	\
	struct shim_trace_##name { tstruct };				\
	static inline void shim_trace_##name(const char *event, proto)	\
	{								\
		struct shim_trace_##name entry, *__entry = &entry;	\
									\
		if (!shim_trace_file)					\
			return;						\
		assign							\
		shim_trace_print(event, print);				\
	}
#define DEFINE_EVENT(template, name, proto, args)			\
	static inline void trace_##name(proto)				\
	{								\
		shim_trace_##template(#name, args);			\
	}
#define TRACE_EVENT(name, proto, args, tstruct, assign, print)		\
	DECLARE_EVENT_CLASS(name, PARAMS(proto), PARAMS(args),		\
			    PARAMS(tstruct), PARAMS(assign), PARAMS(print)) \
	DEFINE_EVENT(name, name, PARAMS(proto), PARAMS(args))
#define PARAMS(args...)	args

#endif
