/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Allocation fault injection for kvgrow's own tests.  Built only with
 * CONFIG_KVGROW_FAULT_INJECTION (the KUnit and userspace test builds);
 * otherwise the allocation wrappers are plain kvmalloc()/kvrealloc()/
 * kvfree().  Tests find leaks with kvg_mem_live_blocks() (<kvgrow/vec.h>),
 * which every build keeps.
 *
 * Every allocation kvgrow makes passes one check, so a test can fail
 * allocation point N of an operation by arming kvg_fault_fail_nth(N),
 * running it, and repeating with N + 1 until no failure was injected.
 */
#ifndef _KVGROW_FAULT_H
#define _KVGROW_FAULT_H

#include <linux/types.h>

void kvg_fault_fail_nth(unsigned int nth);
void kvg_fault_fail_random(unsigned int permille, u64 seed);
void kvg_fault_reset(void);
unsigned long kvg_fault_injected(void);
/* Buckets map deletes have walked over to mark empties (lib/hmap.c). */
unsigned long kvg_map_mark_steps(void);
/* Entries Swiss-map rebuilds, splits and merges have moved (lib/swiss_*.c). */
unsigned long kvg_swiss_moves(void);
/* Swiss maps grow as Go 1.24's did before golang/go#70886 (lib/swiss.h). */
extern bool kvg_swiss_go124_growth;
/* A Swiss map's structure checked slot by slot: NULL, or the rule broken. */
struct kvg_map;
const char *kvg_swiss_validate(const struct kvg_map *m);

#endif /* _KVGROW_FAULT_H */
