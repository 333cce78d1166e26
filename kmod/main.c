// SPDX-License-Identifier: GPL-2.0
/*
 * kvgrow.ko: the kvgrow library for other modules, and a live view of every
 * registered container under /sys/kernel/debug/kvgrow/:
 *
 *   summary   (0400) every container, largest footprint first, and totals
 *   sites     (0400) containers, footprint, slack and grows per call site
 *   vectors   (0400) one line per registered vector, TAB separated
 *   maps      (0400) one line per registered map, TAB separated
 *   vec/<name>, map/<name>, group/<name>
 *             (0400) every figure of one entry, "key: value" lines
 *   buckets/<name> (0400) chain-length histogram of a map with a lock
 *   policies  (0400) the growth policies
 *   control   (0200) one command per write; see control.c
 *   scenarios/ (0400) the reports of the scenario commands; see scenarios.c
 */
#define pr_fmt(fmt) "kvgrow: " fmt

#include <linux/debugfs.h>
#include <linux/fs.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <kvgrow/policy.h>
#include "kvgrow_mod.h"

unsigned long kvg_max_bytes = 256UL << 20;
module_param_named(max_bytes, kvg_max_bytes, ulong, 0644);
MODULE_PARM_DESC(max_bytes, "largest vector the control file may build, in bytes (default 256 MiB)");

static struct dentry *kvg_dir;

static int vectors_show(struct seq_file *m, void *unused)
{
	kvg_registry_show_vectors(m);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(vectors);

static int maps_show(struct seq_file *m, void *unused)
{
	kvg_registry_show_maps(m);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(maps);

static int summary_show(struct seq_file *m, void *unused)
{
	return kvg_registry_show_summary(m);
}
DEFINE_SHOW_ATTRIBUTE(summary);

static int sites_show(struct seq_file *m, void *unused)
{
	return kvg_registry_show_sites(m);
}
DEFINE_SHOW_ATTRIBUTE(sites);

static int policies_show(struct seq_file *m, void *unused)
{
	const char *name, *rule;
	unsigned int i;

	seq_puts(m, "name\trule\n");
	for (i = 0; (name = kvg_policy_describe(i, &rule)); i++)
		seq_printf(m, "%s\t%s\n", name, rule);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(policies);

/* One whole command per write, from offset 0, shorter than a page. */
static ssize_t control_write(struct file *file, const char __user *ubuf,
			     size_t count, loff_t *ppos)
{
	size_t len = count;
	char *buf;
	int err;

	if (*ppos || !len || len >= PAGE_SIZE) {
		pr_warn_ratelimited("control: a command is one write of 1 to %lu bytes\n",
				    PAGE_SIZE - 1);
		return -EINVAL;
	}
	buf = memdup_user_nul(ubuf, len);
	if (IS_ERR(buf))
		return PTR_ERR(buf);
	if (buf[len - 1] == '\n')
		buf[--len] = '\0';
	if (!len || strlen(buf) != len) {
		pr_warn_ratelimited("control: empty command or a NUL byte in it\n");
		err = -EINVAL;
	} else {
		err = kvg_control_exec(buf);
	}
	kfree(buf);
	return err ?: count;
}

static const struct file_operations control_fops = {
	.owner = THIS_MODULE,
	.open = nonseekable_open,
	.write = control_write,
};

static int __init kvgrow_init(void)
{
	int err;

	kvg_dir = debugfs_create_dir("kvgrow", NULL);
	if (IS_ERR(kvg_dir))
		return PTR_ERR(kvg_dir);
	kvg_registry_init(kvg_dir);
	debugfs_create_file("summary", 0400, kvg_dir, NULL, &summary_fops);
	debugfs_create_file("sites", 0400, kvg_dir, NULL, &sites_fops);
	debugfs_create_file("vectors", 0400, kvg_dir, NULL, &vectors_fops);
	debugfs_create_file("maps", 0400, kvg_dir, NULL, &maps_fops);
	debugfs_create_file("policies", 0400, kvg_dir, NULL, &policies_fops);
	debugfs_create_file("control", 0200, kvg_dir, NULL, &control_fops);
	err = kvg_scenarios_init(kvg_dir);
	if (err) {
		debugfs_remove(kvg_dir);
		kvg_registry_exit();
	}
	return err;
}

static void __exit kvgrow_exit(void)
{
	/* No reader or writer is left once the files are gone. */
	debugfs_remove(kvg_dir);
	kvg_registry_destroy_owned();
	kvg_registry_exit();
	kvg_scenarios_exit();
	/* Other modules holding containers keep kvgrow.ko loaded. */
	if (kvg_mem_live_blocks())
		pr_err("%ld blocks still allocated at unload: leaked\n",
		       kvg_mem_live_blocks());
}

module_init(kvgrow_init);
module_exit(kvgrow_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("kvgrow: kvmalloc growth library with live accounting in debugfs");
