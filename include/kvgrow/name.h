/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The names containers are registered under (<kvgrow/registry.h>) and that
 * name their debugfs files: a pure check, so that parsers of names (the
 * lab's control file) build and are tested in userspace too.
 */
#ifndef _KVGROW_NAME_H
#define _KVGROW_NAME_H

#include <linux/types.h>

/* Longest name, without the NUL; names use [A-Za-z0-9_.-], not . or .. */
#define KVG_NAME_MAX	31

bool kvg_name_valid(const char *name);

#endif /* _KVGROW_NAME_H */
