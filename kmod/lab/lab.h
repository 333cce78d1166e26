/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kvgrow_lab.ko internals: the control file's commands and containers
 * (control.c), the scenarios (scenarios.c) and the module (lab.c).  Built on
 * kvgrow.ko's public API alone.
 */
#ifndef _KVGROW_LAB_H
#define _KVGROW_LAB_H

#include <linux/debugfs.h>
#include <linux/mutex.h>
#include <kvgrow/registry.h>

/* Held around every command and every report read. */
extern struct mutex kvg_lab_lock;
/* The largest vector, or map budget, a command may build (module param). */
extern unsigned long kvg_lab_max_bytes;

void kvg_lab_enter(void);
void kvg_lab_leave(void);
int kvg_lab_pause(u64 done);

/* control.c */
int kvg_control_exec(const char *buf, size_t len);
void kvg_control_exit(void);

/*
 * scenarios.c: run with kvg_lab_lock held; reports in scenarios/.  The
 * arguments are in the ranges parse.c checks.
 */
int kvg_scenarios_init(struct dentry *dir);
void kvg_scenarios_exit(void);
int kvg_scenario_policy(u64 n, u64 elem_size);
int kvg_scenario_oom(u64 n, u64 budget);
int kvg_scenario_churn(u64 window, u64 steps);
int kvg_scenario_retention(u64 big_bytes, u64 small_bytes);
int kvg_scenario_nested(u64 keys, u64 values);

#endif /* _KVGROW_LAB_H */
