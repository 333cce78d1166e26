/* SPDX-License-Identifier: GPL-2.0 */
/* kvgrow.ko internals shared by its parts. */
#ifndef _KVGROW_MOD_H
#define _KVGROW_MOD_H

#include <linux/mutex.h>
#include <linux/seq_file.h>
#include <kvgrow/registry.h>

extern struct mutex kvg_registry_lock;
extern unsigned long kvg_max_bytes;

bool kvg_name_valid(const char *name);
/* With kvg_registry_lock held. */
struct kvg_vec *kvg_registry_find(const char *name);
int kvg_registry_add(struct kvg_vec *v, const char *name, bool owned);
void kvg_registry_del(struct kvg_vec *v);
void kvg_registry_show_vectors(struct seq_file *m);
void kvg_registry_destroy_owned(void);

int kvg_control_exec(char *cmd);

#endif /* _KVGROW_MOD_H */
