/* SPDX-License-Identifier: GPL-2.0 */
/* Userspace shim: a mutex is a flag; the tests are single-threaded. */
#ifndef _SHIM_LINUX_MUTEX_H
#define _SHIM_LINUX_MUTEX_H

#include <linux/types.h>

struct mutex {
	bool locked;
};

#define DEFINE_MUTEX(name)	struct mutex name = { false }
#define mutex_init(m)		((m)->locked = false)
#define mutex_lock(m)		((m)->locked = true)
#define mutex_unlock(m)		((m)->locked = false)
#define lockdep_assert_held(m)	((void)(m))

static inline bool mutex_trylock(struct mutex *m)
{
	if (m->locked)
		return false;
	m->locked = true;
	return true;
}

#endif
