/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Observers: how the library tells whoever watches a container that the
 * container is about to be freed.
 *
 * kvgrow.ko's registry shows containers in debugfs and must take a
 * container out of view before its owner frees it.  The library knows
 * nothing of the registry (lib/ builds without it, in userspace too), so
 * each container carries one pointer to a struct kvg_observer, set by
 * kvg_vec_set_observer(), kvg_map_set_observer() or
 * kvg_group_set_observer(); the destroy functions call its ->release()
 * first.  Why a pointer in each container rather than one global hook:
 * only watched containers pay for the call, nothing global has to be set
 * and cleared around module load and unload, and the observer finds its
 * own state from the pointer with container_of() instead of searching for
 * the container.
 */
#ifndef _KVGROW_OBSERVER_H
#define _KVGROW_OBSERVER_H

/**
 * struct kvg_observer - told when an observed container is destroyed
 * @release: called by kvg_vec_free(), kvg_map_destroy() or
 *	kvg_group_destroy() with the container still intact, before anything
 *	is freed, in the owner's (process) context; it may sleep.  When it
 *	returns, the observer must not touch @obj again.
 *
 * A container has at most one observer.  The observer embeds this struct
 * in its own record of the container.
 */
struct kvg_observer {
	void (*release)(struct kvg_observer *obs, void *obj);
};

/**
 * kvg_observer_release() - Tell a container's observer, if any, that it goes.
 * @obs: the container's observer, or NULL
 * @obj: the container
 *
 * For the library's destroy paths, before they free anything.
 *
 * Context: Process context; may sleep (->release() may).
 * Return: Nothing.
 */
static inline void kvg_observer_release(struct kvg_observer *obs, void *obj)
{
	if (obs)
		obs->release(obs, obj);
}

#endif /* _KVGROW_OBSERVER_H */
