// SPDX-License-Identifier: GPL-2.0
/* Userspace shim: where trace events go when a program asks for them. */
#include <stdarg.h>
#include <stdio.h>
#include <linux/tracepoint.h>

struct _IO_FILE *shim_trace_file;

/* One line as tracefs's trace file has it: task-pid [cpu] flags time: */
void shim_trace_print(const char *event, const char *fmt, ...)
{
	static unsigned long seq;
	va_list ap;

	seq++;
	fprintf(shim_trace_file, "      kvgrow-sim-1       [000] .....  %lu.%06lu: %s: ",
		seq / 1000000, seq % 1000000, event);
	va_start(ap, fmt);
	vfprintf(shim_trace_file, fmt, ap);
	va_end(ap);
	fputc('\n', shim_trace_file);
}
