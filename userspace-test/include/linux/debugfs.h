/* SPDX-License-Identifier: GPL-2.0 */
/* Userspace shim: no debugfs; files are created nowhere. */
#ifndef _SHIM_LINUX_DEBUGFS_H
#define _SHIM_LINUX_DEBUGFS_H

#include <linux/seq_file.h>
#include <linux/types.h>

struct dentry;

static inline struct dentry *debugfs_create_file(const char *name, unsigned short mode,
						 struct dentry *parent, void *data,
						 const struct file_operations *fops)
{
	return NULL;
}

static inline struct dentry *debugfs_create_dir(const char *name, struct dentry *parent)
{
	return NULL;
}

static inline void debugfs_remove(struct dentry *dentry)
{
}

#endif
