/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The control file's parser: the bytes of one write to a struct kvg_cmd, or
 * an errno with the reason.  Pure (no allocation, no lock, no state), so it
 * builds in userspace too: kunit/control_kunit.c tests it there and in the
 * kernel.  control.c executes what it returns.
 */
#ifndef _KVGROW_LAB_PARSE_H
#define _KVGROW_LAB_PARSE_H

#include <linux/bits.h>
#include <linux/mm.h>
#include <linux/types.h>
#include <kvgrow/name.h>
#include <kvgrow/policy.h>

/* The longest write the control file takes: shorter than a page. */
#define KVG_CMD_LEN_MAX		(PAGE_SIZE - 1)
/* map-churn's keys start here, clear of any key map-insert is given. */
#define KVG_CMD_CHURN_BASE	BIT_ULL(62)
/* kvg_cmd_format() never needs more, NUL included. */
#define KVG_CMD_FORMAT_MAX	128

/* The commands, in the order of parse.c's table; control.c says what they do. */
enum kvg_cmd_op {
	KVG_CMD_CREATE,
	KVG_CMD_APPEND,
	KVG_CMD_CLIP,
	KVG_CMD_DESTROY,
	KVG_CMD_MAP_CREATE,
	KVG_CMD_MAP_INSERT,
	KVG_CMD_MAP_DELETE,
	KVG_CMD_MAP_CHURN,
	KVG_CMD_MAP_SHRINK,
	KVG_CMD_MAP_CLEAR,
	KVG_CMD_SCENARIO_POLICY,
	KVG_CMD_SCENARIO_OOM,
	KVG_CMD_SCENARIO_CHURN,
	KVG_CMD_SCENARIO_RETENTION,
	KVG_CMD_SCENARIO_NESTED,
	KVG_CMD_NR,
};

/*
 * A map's engine in the lab: kvg (the default, Swiss tables), go119 (Go
 * 1.19's engine with kvgrow's reclaim and shrinking) or go (Go 1.19's
 * engine as Go has it); names and flags in parse.c.
 */
enum kvg_map_mode {
	KVG_MAP_MODE_KVG,
	KVG_MAP_MODE_GO119,
	KVG_MAP_MODE_GO,
	KVG_MAP_MODE_NR,
};

extern const char * const kvg_map_mode_name[KVG_MAP_MODE_NR];
extern const unsigned int kvg_map_mode_flags[KVG_MAP_MODE_NR];

/*
 * A parsed command.  num[] holds its numbers in the order its usage line
 * (control.c) gives them, an absent optional one at its default: HINT 0,
 * BATCH 1.
 */
struct kvg_cmd {
	enum kvg_cmd_op op;
	char name[KVG_NAME_MAX + 1];	/* valid; "" for the scenarios */
	struct kvg_policy policy;	/* create */
	enum kvg_map_mode map_mode;	/* map-create */
	u64 num[2];			/* the numbers, in their order */
};

int kvg_cmd_parse(const char *buf, size_t len, struct kvg_cmd *cmd,
		  const char **why);
int kvg_cmd_format(const struct kvg_cmd *cmd, char *buf, size_t size);

#endif /* _KVGROW_LAB_PARSE_H */
