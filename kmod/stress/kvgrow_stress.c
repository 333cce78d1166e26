// SPDX-License-Identifier: GPL-2.0
/*
 * kvgrow_stress.ko, a test module: kernel threads create, register, grow,
 * shrink and destroy vectors and maps as fast as they can while the test
 * reads every debugfs file in a loop.  Readers must never touch freed
 * memory.  Every other round destroys its containers without unregistering
 * them first, which must take them out of the registry; some destroy the
 * map while holding the lock its bucket walks take.
 */
#include <linux/kthread.h>
#include <linux/module.h>
#include <linux/random.h>
#include <linux/slab.h>
#include <kvgrow/registry.h>

#define STRESS_MAX_THREADS	8

static unsigned int threads = 2;
module_param(threads, uint, 0444);
MODULE_PARM_DESC(threads, "kernel threads (1 to 8, default 2)");

static struct task_struct *tasks[STRESS_MAX_THREADS];
static atomic_long_t rounds = ATOMIC_LONG_INIT(0);

DECLARE_KVG_VEC(stress_u64, u64);

/* A round's containers: on the heap, for the stack's sake (KASAN). */
struct stress_state {
	union stress_u64 v, w, x, y;
	struct kvg_group g;
	struct kvg_map m;
	struct mutex lock;	/* held around every change of m */
	char name[KVG_NAME_MAX + 1];
};

/*
 * One round: build, register, mutate, destroy.  The map is registered with
 * its owner's mutex, so buckets/<name> walks it; the mutex is held around
 * every change of it, and dropped now and then to let the walkers in.  Two
 * vectors grow as members of a group.
 */
static void stress_round(unsigned long id, unsigned long round)
{
	struct kvg_map_cfg cfg = {
		.key_size = sizeof(u64), .val_size = sizeof(u64),
		.gfp = GFP_KERNEL,
	};
	u64 k, n = get_random_u32() % 20000;
	struct stress_state *s = kzalloc(sizeof(*s), GFP_KERNEL);

	if (!s)
		return;
	if (kvg_vec_init(&s->v, GFP_KERNEL))
		goto out;
	if (kvg_map_init(&s->m, &cfg)) {
		kvg_vec_free(&s->v);
		goto out;
	}
	mutex_init(&s->lock);
	kvg_group_init(&s->g);
	kvg_vec_init(&s->x, GFP_KERNEL);
	kvg_vec_init(&s->y, GFP_KERNEL);
	kvg_vec_join_group(&s->x, &s->g);
	kvg_vec_join_group(&s->y, &s->g);
	snprintf(s->name, sizeof(s->name), "stress%lu-v%lu", id, round);
	kvg_register_vec(&s->v.raw, s->name);
	snprintf(s->name, sizeof(s->name), "stress%lu-m%lu", id, round);
	kvg_register_map_locked(&s->m, s->name, &s->lock);
	snprintf(s->name, sizeof(s->name), "stress%lu-g%lu", id, round);
	kvg_register_group(&s->g, s->name);
	mutex_lock(&s->lock);
	for (k = 0; k < n; k++) {
		if (kvg_vec_push(&s->v, k) || kvg_map_set(&s->m, &k, &k) ||
		    kvg_vec_push(&s->x, k) || kvg_vec_push(&s->y, ~k))
			break;
		if (!(k % 1024)) {
			mutex_unlock(&s->lock);
			cond_resched();
			mutex_lock(&s->lock);
		}
	}
	if (!kvg_vec_clone_range(&s->w, &s->v, 0, s->v.len / 2, GFP_KERNEL))
		kvg_vec_free(&s->w);
	kvg_vec_truncate(&s->v, s->v.len / 3);
	kvg_vec_clip(&s->v);
	kvg_vec_truncate(&s->x, 0);
	kvg_vec_clip(&s->x);
	for (k = 0; k < n; k += 2)
		kvg_map_delete(&s->m, &k);
	kvg_map_shrink(&s->m);
	mutex_unlock(&s->lock);
	if (round & 1) {
		kvg_unregister_vec(&s->v.raw);
		kvg_unregister_map(&s->m);
		kvg_unregister_group(&s->g);
	}
	kvg_vec_free(&s->v);
	/* Every other round destroys the map with its lock held. */
	if (!(round & 2))
		mutex_lock(&s->lock);
	kvg_map_destroy(&s->m);
	if (!(round & 2))
		mutex_unlock(&s->lock);
	kvg_vec_free(&s->x);
	kvg_vec_free(&s->y);
	kvg_group_destroy(&s->g);
	mutex_destroy(&s->lock);
out:
	kfree(s);
}

static int stress_fn(void *arg)
{
	unsigned long id = (unsigned long)arg, round = 0;

	while (!kthread_should_stop()) {
		stress_round(id, round++);
		atomic_long_inc(&rounds);
		cond_resched();
	}
	return 0;
}

/*
 * The snapshot pair: an owner resizes a vector and a map without pause
 * while a reader snapshots them without any lock, as debugfs does, and
 * checks that each snapshot's figures belong together.
 */
static union stress_u64 snap_vec;
static struct kvg_map snap_map;
static struct task_struct *snap_tasks[2];
static atomic_long_t snaps = ATOMIC_LONG_INIT(0);
static atomic_long_t torn = ATOMIC_LONG_INIT(0);

static int snap_owner(void *unused)
{
	u64 k;

	while (!kthread_should_stop()) {
		for (k = 0; k < 5000; k++)
			if (kvg_vec_push(&snap_vec, k) ||
			    kvg_map_set(&snap_map, &k, &k))
				break;
		kvg_vec_truncate(&snap_vec, 0);
		kvg_vec_clip(&snap_vec);
		for (k = 0; k < 5000; k++)
			kvg_map_delete(&snap_map, &k);
		cond_resched();
	}
	return 0;
}

static int snap_reader(void *unused)
{
	struct kvg_vec_stats vs;
	struct kvg_map_stats ms;
	unsigned long n = 0;

	while (!kthread_should_stop()) {
		kvg_vec_snapshot(&snap_vec, &vs);
		kvg_map_snapshot(&snap_map, &ms);
		if (!kvg_vec_stats_valid(&vs, NULL))
			atomic_long_inc(&torn);
		if (!kvg_map_stats_valid(&ms, NULL))
			atomic_long_inc(&torn);
		if (!(++n % 512)) {
			atomic_long_add(2 * 512, &snaps);
			cond_resched();
		}
	}
	return 0;
}

static void stress_stop(void)
{
	unsigned int t;

	for (t = 0; t < STRESS_MAX_THREADS; t++)
		if (tasks[t])
			kthread_stop(tasks[t]);
	for (t = 0; t < ARRAY_SIZE(snap_tasks); t++)
		if (snap_tasks[t])
			kthread_stop(snap_tasks[t]);
	kvg_vec_free(&snap_vec);
	kvg_map_destroy(&snap_map);
}

static int __init kvgrow_stress_init(void)
{
	unsigned int t;

	struct kvg_map_cfg cfg = {
		.key_size = sizeof(u64), .val_size = sizeof(u64),
		.gfp = GFP_KERNEL,
	};
	int (*snap_fn[2])(void *) = { snap_owner, snap_reader };

	if (!threads || threads > STRESS_MAX_THREADS)
		return -EINVAL;
	if (kvg_vec_init(&snap_vec, GFP_KERNEL))
		return -ENOMEM;
	if (kvg_map_init(&snap_map, &cfg)) {
		kvg_vec_free(&snap_vec);
		return -ENOMEM;
	}
	for (t = 0; t < ARRAY_SIZE(snap_tasks); t++) {
		snap_tasks[t] = kthread_run(snap_fn[t], NULL, "kvgrow-snap/%u", t);
		if (IS_ERR(snap_tasks[t])) {
			int err = PTR_ERR(snap_tasks[t]);

			snap_tasks[t] = NULL;
			stress_stop();
			return err;
		}
	}
	for (t = 0; t < threads; t++) {
		tasks[t] = kthread_run(stress_fn, (void *)(unsigned long)t,
				       "kvgrow-stress/%u", t);
		if (IS_ERR(tasks[t])) {
			int err = PTR_ERR(tasks[t]);

			tasks[t] = NULL;
			stress_stop();
			return err;
		}
	}
	return 0;
}

static void __exit kvgrow_stress_exit(void)
{
	stress_stop();
	pr_info("kvgrow_stress: %ld rounds, %ld snapshots, %ld inconsistent\n",
		atomic_long_read(&rounds), atomic_long_read(&snaps),
		atomic_long_read(&torn));
}

module_init(kvgrow_stress_init);
module_exit(kvgrow_stress_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("kvgrow test: owners mutate registered containers while debugfs is read");
