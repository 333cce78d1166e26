/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Userspace shim: a seq_file is a buffer that show functions print into, as
 * the kernel's is while a read fills it (on overflow, count == size).
 */
#ifndef _SHIM_LINUX_SEQ_FILE_H
#define _SHIM_LINUX_SEQ_FILE_H

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <linux/compiler.h>
#include <linux/types.h>

struct seq_file {
	char *buf;
	size_t size;
	size_t count;
	void *private;
};

static inline void seq_write(struct seq_file *m, const void *data, size_t len)
{
	if (m->count + len >= m->size) {
		m->count = m->size;
		return;
	}
	memcpy(m->buf + m->count, data, len);
	m->count += len;
}

static inline __printf(2, 3) void seq_printf(struct seq_file *m, const char *fmt, ...)
{
	va_list ap;
	int len;

	if (m->count >= m->size)
		return;
	va_start(ap, fmt);
	len = vsnprintf(m->buf + m->count, m->size - m->count, fmt, ap);
	va_end(ap);
	m->count = m->count + len < m->size ? m->count + len : m->size;
}

static inline void seq_puts(struct seq_file *m, const char *s)
{
	seq_write(m, s, strlen(s));
}

static inline void seq_putc(struct seq_file *m, char c)
{
	seq_write(m, &c, 1);
}

/* What debugfs_create_file() is given: here, the show function alone. */
struct file_operations {
	int (*show)(struct seq_file *m, void *unused);
};

#define DEFINE_SHOW_ATTRIBUTE(__name)					\
static const struct file_operations __name ## _fops = { .show = __name ## _show }

#endif
