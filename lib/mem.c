// SPDX-License-Identifier: GPL-2.0
/*
 * The count of live kvgrow blocks, always kept (one atomic per allocation
 * and free, none per element), so that whoever holds the library can tell
 * at teardown whether anything leaked.
 */
#include <linux/export.h>
#include <kvgrow/vec.h>
#include "kvg_mem.h"

atomic_long_t kvg_mem_blocks = ATOMIC_LONG_INIT(0);

/**
 * kvg_mem_live_blocks() - Count the blocks kvgrow containers hold.
 *
 * Context: Any context.  Takes no lock.
 * Return: The number of blocks allocated by kvgrow containers and not yet
 * freed: 0 once every container is freed.
 */
long kvg_mem_live_blocks(void)
{
	return atomic_long_read(&kvg_mem_blocks);
}
EXPORT_SYMBOL_GPL(kvg_mem_live_blocks);
