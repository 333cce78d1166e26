// SPDX-License-Identifier: GPL-2.0
/*
 * kvgrow_lab.ko: workloads for kvgrow.ko, driven from
 * /sys/kernel/debug/kvgrow-lab/:
 *
 *   control    (0200) one command per write; see control.c
 *   scenarios/ (0400) the reports of the scenario commands; see scenarios.c
 *
 * What it creates is registered with kvgrow.ko like any other module's
 * containers, so it shows in /sys/kernel/debug/kvgrow/; it is freed by
 * "destroy" or at unload.  It is a demonstration and test module, in the
 * spirit of lib/test_rhashtable.c, and uses kvgrow's public API only.
 */
#define pr_fmt(fmt) "kvgrow_lab: " fmt

#include <linux/atomic.h>
#include <linux/debugfs.h>
#include <linux/delay.h>
#include <linux/fs.h>
#include <linux/jiffies.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <linux/wait.h>
#include "lab.h"
#include "parse.h"

/* Serialises the commands, and guards the lab's containers and reports. */
DEFINE_MUTEX(kvg_lab_lock);

unsigned long kvg_lab_max_bytes = 256UL << 20;
module_param_named(max_bytes, kvg_lab_max_bytes, ulong, 0644);
MODULE_PARM_DESC(max_bytes, "largest vector the control file may build, in bytes (default 256 MiB)");

static struct dentry *lab_dir;

/*
 * Who waits for kvg_lab_lock through kvg_lab_enter(), so that a long command
 * can let them in (kvg_lab_pause()), and when the running command next
 * lets trylock pollers in (jiffies; under the lock).
 */
static atomic_t lab_waiters = ATOMIC_INIT(0);
static DECLARE_WAIT_QUEUE_HEAD(lab_waitq);
static unsigned long lab_next_break;

/**
 * kvg_lab_enter() - Take kvg_lab_lock, as a waiter a long command lets in
 *
 * Context: process context; may sleep.
 * Return: nothing; kvg_lab_lock is held.
 */
void kvg_lab_enter(void)
{
	atomic_inc(&lab_waiters);
	mutex_lock(&kvg_lab_lock);
	if (atomic_dec_and_test(&lab_waiters))
		wake_up(&lab_waitq);
}

/**
 * kvg_lab_leave() - Release kvg_lab_lock
 *
 * Context: process context, kvg_lab_lock held.
 * Return: nothing.
 */
void kvg_lab_leave(void)
{
	mutex_unlock(&kvg_lab_lock);
}

/**
 * kvg_lab_pause() - A long command's breathing point
 * @done: iterations done so far
 *
 * Every 256 iterations: stop when the writer was killed (Ctrl-C of a
 * shell's echo, timeout(1)), give the CPU away if needed, and drop
 * kvg_lab_lock while others wait for it: until every writer and report
 * reader queued in kvg_lab_enter() has had its turn (a second at most),
 * and briefly every 50 ms for the bucket walks of kvgrow.ko, which poll
 * with mutex_trylock().  So nobody waits for a whole long command.  The
 * caller has marked what it works on busy (other commands refuse it with
 * -EBUSY meanwhile) and keeps no pointer that another command could free.
 *
 * Context: process context with kvg_lab_lock held; may sleep.
 * Return: 0 to go on, -EINTR to stop (what was done stays done).
 */
int kvg_lab_pause(u64 done)
{
	lockdep_assert_held(&kvg_lab_lock);
	if (done % 256)
		return 0;
	if (fatal_signal_pending(current))
		return -EINTR;
	if (atomic_read(&lab_waiters) || time_after(jiffies, lab_next_break)) {
		mutex_unlock(&kvg_lab_lock);
		/* the queued first (a second at most), then the pollers */
		wait_event_timeout(lab_waitq, !atomic_read(&lab_waiters), HZ);
		usleep_range(500, 1000);
		kvg_lab_enter();
		lab_next_break = jiffies + msecs_to_jiffies(50);
	}
	cond_resched();
	return 0;
}

/*
 * One whole command per write, from offset 0.  The parser refuses writes
 * longer than KVG_CMD_LEN_MAX: no more than one byte past it is copied.
 */
static ssize_t control_write(struct file *file, const char __user *ubuf,
			     size_t count, loff_t *ppos)
{
	size_t len = min_t(size_t, count, KVG_CMD_LEN_MAX + 1);
	char *buf;
	int err;

	if (*ppos) {
		pr_warn_ratelimited("control: a command is one write from offset 0\n");
		return -EINVAL;
	}
	buf = memdup_user_nul(ubuf, len);
	if (IS_ERR(buf))
		return PTR_ERR(buf);
	err = kvg_control_exec(buf, len);
	kfree(buf);
	return err ?: count;
}

static const struct file_operations control_fops = {
	.owner = THIS_MODULE,
	.open = nonseekable_open,
	.write = control_write,
};

static int __init kvgrow_lab_init(void)
{
	int err;

	lab_dir = debugfs_create_dir("kvgrow-lab", NULL);
	if (IS_ERR(lab_dir))
		return PTR_ERR(lab_dir);
	debugfs_create_file("control", 0200, lab_dir, NULL, &control_fops);
	err = kvg_scenarios_init(lab_dir);
	if (err)
		debugfs_remove(lab_dir);
	return err;
}

static void __exit kvgrow_lab_exit(void)
{
	/* No reader or writer is left once the files are gone. */
	debugfs_remove(lab_dir);
	kvg_control_exit();
	kvg_scenarios_exit();
}

module_init(kvgrow_lab_init);
module_exit(kvgrow_lab_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("kvgrow lab: the control file and the article's scenarios, on kvgrow.ko");
