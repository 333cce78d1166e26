// SPDX-License-Identifier: GPL-2.0
/*
 * kvgrow.ko: the kvgrow library for other modules, and a live view of every
 * container they register, under /sys/kernel/debug/kvgrow/ (see render.c
 * for the files).  It carries nothing else: the control file and the
 * scenarios are kvgrow_lab.ko's (kmod/lab/).
 */
#define pr_fmt(fmt) "kvgrow: " fmt

#include <linux/debugfs.h>
#include <linux/module.h>
#include "kvgrow_mod.h"

static struct dentry *kvg_dir;

static int __init kvgrow_init(void)
{
	kvg_dir = debugfs_create_dir("kvgrow", NULL);
	if (IS_ERR(kvg_dir))
		return PTR_ERR(kvg_dir);
	kvg_registry_init(kvg_dir);
	kvg_render_init(kvg_dir);
	return 0;
}

static void __exit kvgrow_exit(void)
{
	/* No reader is left once the files are gone. */
	debugfs_remove(kvg_dir);
	kvg_registry_exit();
	/* Other modules holding containers keep kvgrow.ko loaded. */
	if (kvg_mem_live_blocks())
		pr_err("%ld blocks still allocated at unload: leaked\n",
		       kvg_mem_live_blocks());
}

module_init(kvgrow_init);
module_exit(kvgrow_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("kvgrow: kvmalloc growth library with live accounting in debugfs");
