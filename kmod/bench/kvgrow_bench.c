// SPDX-License-Identifier: GPL-2.0
/*
 * kvgrow_bench.ko, the kernel side of `make bench-kernel`: the map
 * workloads of userspace-test/bench (M1, M1H, M2-M5) on kvgrow's two map
 * engines, on rhashtable and on xarray, run when the module loads.
 *
 * Keys are kvg_mix64(i + 1), values i + 1, as in userspace.  Each workload
 * is timed with ktime_get_ns() around its loop; every result is checked,
 * and a failed check fails the load.  M2-M4 run on the map M1 built, which
 * is the same as building it untimed.  The workloads are written once and
 * inlined into each structure's runner with that structure's operations, so
 * every operation is a direct call.
 *
 * Structures (as their users use them):
 *   kvg-swiss, kvg-go119  struct kvg_map, 8-byte keys and values, the
 *                         built-in hash; the engines' flags are in
 *                         bench_structs[], the one place that names them.
 *   rhashtable            kmalloc'ed objects (key, value, rhash_head),
 *                         automatic shrinking; insert/lookup/remove_fast;
 *                         a deleted object is kfree()d at once: nothing
 *                         else looks it up, and the resize worker works
 *                         under the bucket locks remove_fast takes, so no
 *                         RCU grace period is needed (users with RCU
 *                         readers pay for kfree_rcu() on top).
 *   xarray                the key is the index (an unsigned long holds a
 *                         u64 on 64-bit), the value an xa_mk_value().
 *
 * Bytes, from the allocations made, once the map holds its N entries:
 *   kvgrow      kvg_map_snapshot()'s footprint; largest: the Swiss
 *               engine's largest table block (the directory apart), the
 *               Go 1.19 engine's bucket array as the allocator reserved it.
 *   rhashtable  ksize() of every object plus each bucket table's block
 *               (after flush_work() of its resize worker); largest: the
 *               bucket table.
 *   xarray      nodes, counted by walking the tree, times @xa_node_size
 *               (the radix_tree_node slab's object size; the VM script
 *               reads it from /sys/kernel/slab); largest: one node.
 *
 * Results go to the kernel log, one tab-separated line each after the
 * prefix "kvgbench: " (scripts/bench-kernel.sh reads them):
 *   info   n N xa_n N runs N m5_steps N node_size N node_from slab|sizeof
 *   engine STRUCT flags FLAGS	(kvgrow's engines)
 *   run    STRUCT WL RUN OPS NS
 *   mem    STRUCT RUN ENTRIES BYTES LARGEST DIR_BYTES BYTES_AFTER_M4
 *          BYTES_M5 NOTE
 *   alloc  STRUCT RUN MODEL ACTUAL	(kvg-go119: its bucket array as
 *          kvg_kvmalloc_roundup() models it, and as reserved)
 *   done   ok|error ERRNO
 */
#define pr_fmt(fmt) "kvgbench: " fmt

#include <linux/ktime.h>
#include <linux/minmax.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/overflow.h>
#include <linux/rhashtable.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/vmalloc.h>
#include <linux/xarray.h>
#include <kvgrow/map.h>
#include <kvgrow/mix.h>
#include <kvgrow/policy.h>

/* Entries an M5 step keeps live: step s deletes the key of step s - 1000. */
#define BENCH_WINDOW	1000

static unsigned int n = 200000;
module_param(n, uint, 0444);
MODULE_PARM_DESC(n, "entries (default 200000)");

static unsigned int xa_n = 20000;
module_param(xa_n, uint, 0444);
MODULE_PARM_DESC(xa_n, "xarray's entries, at most n (default 20000: random 64-bit indices cost about 4.6 KB each)");

static unsigned int runs = 5;
module_param(runs, uint, 0444);
MODULE_PARM_DESC(runs, "runs of everything, interleaved (default 5)");

static unsigned int m5_steps;
module_param(m5_steps, uint, 0444);
MODULE_PARM_DESC(m5_steps, "M5 steps (default 0: 5 times the entries)");

static char *workloads = "M1,M1H,M2,M3,M4,M5";
module_param(workloads, charp, 0444);
MODULE_PARM_DESC(workloads, "comma-separated: M1,M1H,M2,M3,M4,M5");

static char *structs = "kvg-swiss,kvg-go119,rhashtable,xarray";
module_param(structs, charp, 0444);
MODULE_PARM_DESC(structs, "comma-separated: kvg-swiss,kvg-go119,rhashtable,xarray");

static unsigned int xa_node_size;
module_param(xa_node_size, uint, 0444);
MODULE_PARM_DESC(xa_node_size, "bytes of an xarray node (default 0: sizeof(struct xa_node))");

static const char *const bench_wl_names[] = {
	"M1", "M1H", "M2", "M3", "M4", "M5",
};

/* Whether @name is one of the comma-separated words of @list. */
static bool bench_listed(const char *list, const char *name)
{
	size_t len = strlen(name);

	while (list) {
		if (!strncmp(list, name, len) &&
		    (list[len] == ',' || !list[len]))
			return true;
		list = strchr(list, ',');
		if (list)
			list++;
	}
	return false;
}

/* Whether every word of @list is one of @names. */
static bool bench_list_valid(const char *list, const char *const *names,
			     size_t count)
{
	const char *end;
	size_t i, len;

	for (; list; list = end ? end + 1 : NULL) {
		end = strchr(list, ',');
		len = end ? (size_t)(end - list) : strlen(list);
		for (i = 0; i < count; i++)
			if (strlen(names[i]) == len &&
			    !strncmp(list, names[i], len))
				break;
		if (i == count)
			return false;
	}
	return true;
}

static bool bench_wl(const char *wl)
{
	return bench_listed(workloads, wl);
}

static inline u64 bench_key(u64 i)
{
	return kvg_mix64(i + 1);
}

/* A step coprime with @count: i -> i * step mod count visits every index. */
static u64 bench_stride(u64 count)
{
	u64 s = count < 3 ? 1 : (count * 618034 / 1000000) | 1;
	u64 a, b, t;

	for (;; s++) {
		for (a = count, b = s; b; t = a % b, a = b, b = t)
			;
		if (a == 1)
			return s;
	}
}

/* Every 1024 operations: let others run; true when the loader is killed. */
static inline bool bench_yield(u64 i)
{
	if (i & 1023)
		return false;
	cond_resched();
	return fatal_signal_pending(current);
}

/* Bytes the allocator reserved for the kvmalloc()ed block @p of @bytes. */
static size_t bench_block_bytes(const void *p, size_t bytes)
{
#ifdef CONFIG_X86
	unsigned int level;
#endif

	if (!p)
		return 0;
	if (!is_vmalloc_addr(p))
		return ksize(p);
#ifdef CONFIG_X86
	/* kvmalloc() allows 2 MiB mappings, and then takes whole 2 MiB pages */
	if (lookup_address((unsigned long)p, &level) && level == PG_LEVEL_2M)
		return ALIGN(bytes, PMD_SIZE);
#endif
	return PAGE_ALIGN(bytes);
}

/* ---- the structures ---- */

struct bench_obj {
	u64 key;
	u64 val;
	struct rhash_head node;
};

static const struct rhashtable_params bench_rht_params = {
	.key_len = sizeof(u64),
	.key_offset = offsetof(struct bench_obj, key),
	.head_offset = offsetof(struct bench_obj, node),
	.automatic_shrinking = true,
};

/* The structure under test (one at a time). */
struct bench_ctx {
	unsigned int flags;		/* kvgrow: the engine's map flags */
	bool swiss;			/* kvgrow: they select Swiss tables */
	struct kvg_map map;
	struct rhashtable ht;
	struct xarray xa;
	size_t xa_count;
};

static struct bench_ctx bench_ctx;

/* What bench_ops.mem() measured. */
struct bench_mem {
	size_t bytes;		/* every block the structure holds */
	size_t largest;		/* its largest single block */
	size_t dir;		/* kvgrow Swiss: the directory's bytes */
	size_t model;		/* kvg-go119: its array as kvgrow counts it */
	bool swiss;		/* kvgrow: kvg_map_snapshot() says Swiss */
	const char *note;	/* why the figures are not exact, or NULL */
};

struct bench_ops {
	int (*init)(struct bench_ctx *c, size_t hint);
	int (*set)(struct bench_ctx *c, u64 key, u64 val);
	bool (*get)(struct bench_ctx *c, u64 key, u64 *val);
	bool (*del)(struct bench_ctx *c, u64 key);
	size_t (*count)(struct bench_ctx *c);
	/* Figures; keys [@from, @to) are the ones present. */
	void (*mem)(struct bench_ctx *c, u64 from, u64 to, struct bench_mem *m);
	void (*destroy)(struct bench_ctx *c);
	bool hint;		/* takes a size hint (M1H) */
};

/* kvgrow */

static int bench_kvg_init(struct bench_ctx *c, size_t hint)
{
	struct kvg_map_cfg cfg = {
		.key_size = sizeof(u64),
		.val_size = sizeof(u64),
		.hint = hint,
		.gfp = GFP_KERNEL,
		.flags = c->flags,
	};

	return kvg_map_init(&c->map, &cfg);
}

static int bench_kvg_set(struct bench_ctx *c, u64 key, u64 val)
{
	return kvg_map_set(&c->map, &key, &val);
}

static bool bench_kvg_get(struct bench_ctx *c, u64 key, u64 *val)
{
	u64 *p = kvg_map_get(&c->map, &key);

	if (!p)
		return false;
	*val = *p;
	return true;
}

static bool bench_kvg_del(struct bench_ctx *c, u64 key)
{
	return kvg_map_delete(&c->map, &key);
}

static size_t bench_kvg_count(struct bench_ctx *c)
{
	return kvg_map_count(&c->map);
}

static void bench_kvg_mem(struct bench_ctx *c, u64 from, u64 to,
			  struct bench_mem *m)
{
	struct kvg_map_stats st;
	size_t bytes;

	kvg_map_snapshot(&c->map, &st);
	m->bytes = st.footprint_bytes;
	m->swiss = st.swiss;
	if (st.swiss) {
		m->largest = st.largest_block;
		m->dir = st.dir_bytes;
		return;
	}
	/* The Go 1.19 engine: the bucket array (the old one while growing) */
	bytes = st.buckets * c->map.bucket_size;
	m->largest = bench_block_bytes(c->map.buckets, bytes);
	m->model = bytes ? kvg_kvmalloc_roundup(bytes) : 0;
	if (c->map.oldbuckets) {
		bytes = st.old_buckets * c->map.bucket_size;
		m->largest = max(m->largest,
				 bench_block_bytes(c->map.oldbuckets, bytes));
	}
}

static void bench_kvg_destroy(struct bench_ctx *c)
{
	kvg_map_destroy(&c->map);
}

static const struct bench_ops bench_kvg_ops = {
	.init = bench_kvg_init,
	.set = bench_kvg_set,
	.get = bench_kvg_get,
	.del = bench_kvg_del,
	.count = bench_kvg_count,
	.mem = bench_kvg_mem,
	.destroy = bench_kvg_destroy,
	.hint = true,
};

/* rhashtable */

static int bench_rht_init(struct bench_ctx *c, size_t hint)
{
	struct rhashtable_params p = bench_rht_params;

	/* nelem_hint is a u16 */
	p.nelem_hint = min_t(size_t, hint, U16_MAX);
	return rhashtable_init(&c->ht, &p);
}

static int bench_rht_set(struct bench_ctx *c, u64 key, u64 val)
{
	struct bench_obj *obj = kmalloc(sizeof(*obj), GFP_KERNEL);
	int err;

	if (!obj)
		return -ENOMEM;
	obj->key = key;
	obj->val = val;
	err = rhashtable_insert_fast(&c->ht, &obj->node, bench_rht_params);
	if (err)
		kfree(obj);
	return err;
}

static bool bench_rht_get(struct bench_ctx *c, u64 key, u64 *val)
{
	struct bench_obj *obj;

	obj = rhashtable_lookup_fast(&c->ht, &key, bench_rht_params);
	if (!obj)
		return false;
	*val = obj->val;
	return true;
}

static bool bench_rht_del(struct bench_ctx *c, u64 key)
{
	struct bench_obj *obj;

	obj = rhashtable_lookup_fast(&c->ht, &key, bench_rht_params);
	if (!obj ||
	    rhashtable_remove_fast(&c->ht, &obj->node, bench_rht_params))
		return false;
	kfree(obj);
	return true;
}

static size_t bench_rht_count(struct bench_ctx *c)
{
	return atomic_read(&c->ht.nelems);
}

static void bench_rht_mem(struct bench_ctx *c, u64 from, u64 to,
			  struct bench_mem *m)
{
	struct bucket_table *tbl;
	struct bench_obj *obj;
	size_t bytes;
	u64 i, key;

	/* A resize the inserts or deletes scheduled: let it finish. */
	flush_work(&c->ht.run_work);
	for (i = from; i < to; i++) {
		key = bench_key(i);
		obj = rhashtable_lookup_fast(&c->ht, &key, bench_rht_params);
		if (obj)
			m->bytes += ksize(obj);
	}
	mutex_lock(&c->ht.mutex);
	for (tbl = rht_dereference(c->ht.tbl, &c->ht); tbl;
	     tbl = rht_dereference(tbl->future_tbl, &c->ht)) {
		if (tbl->nest) {
			/* a GFP_ATOMIC fallback: only its top page is counted */
			m->note = "nested-table";
			bytes = ksize(tbl);
		} else {
			bytes = bench_block_bytes(tbl, struct_size(tbl, buckets,
								   tbl->size));
		}
		m->bytes += bytes;
		m->largest = max(m->largest, bytes);
	}
	mutex_unlock(&c->ht.mutex);
}

static void bench_rht_free(void *ptr, void *arg)
{
	kfree(ptr);
}

static void bench_rht_destroy(struct bench_ctx *c)
{
	rhashtable_free_and_destroy(&c->ht, bench_rht_free, NULL);
}

static const struct bench_ops bench_rht_ops = {
	.init = bench_rht_init,
	.set = bench_rht_set,
	.get = bench_rht_get,
	.del = bench_rht_del,
	.count = bench_rht_count,
	.mem = bench_rht_mem,
	.destroy = bench_rht_destroy,
	.hint = true,
};

/* xarray */

static int bench_xa_init(struct bench_ctx *c, size_t hint)
{
	xa_init(&c->xa);
	c->xa_count = 0;
	return 0;
}

static int bench_xa_set(struct bench_ctx *c, u64 key, u64 val)
{
	void *old = xa_store(&c->xa, key, xa_mk_value(val), GFP_KERNEL);

	if (xa_is_err(old))
		return xa_err(old);
	if (!old)
		c->xa_count++;
	return 0;
}

static bool bench_xa_get(struct bench_ctx *c, u64 key, u64 *val)
{
	void *entry = xa_load(&c->xa, key);

	if (!entry)
		return false;
	*val = xa_to_value(entry);
	return true;
}

static bool bench_xa_del(struct bench_ctx *c, u64 key)
{
	if (!xa_erase(&c->xa, key))
		return false;
	c->xa_count--;
	return true;
}

static size_t bench_xa_count(struct bench_ctx *c)
{
	return c->xa_count;
}

/* The nodes at and under @entry; the values found there go to @values. */
static size_t bench_xa_nodes(const struct xarray *xa, void *entry,
			     size_t *values)
{
	struct xa_node *node;
	size_t nodes = 1;
	unsigned int i;

	if (xa_is_value(entry))
		(*values)++;
	if (!xa_is_node(entry))
		return 0;
	node = xa_to_node(entry);
	for (i = 0; i < XA_CHUNK_SIZE; i++)
		nodes += bench_xa_nodes(xa, xa_entry(xa, node, i), values);
	return nodes;
}

static void bench_xa_mem(struct bench_ctx *c, u64 from, u64 to,
			 struct bench_mem *m)
{
	size_t nodes, values = 0;
	size_t node = xa_node_size ? xa_node_size : sizeof(struct xa_node);

	rcu_read_lock();
	nodes = bench_xa_nodes(&c->xa, xa_head(&c->xa), &values);
	rcu_read_unlock();
	m->bytes = nodes * node;
	m->largest = nodes ? node : 0;
	if (values != c->xa_count)
		m->note = "walk-miscount";
}

static void bench_xa_destroy(struct bench_ctx *c)
{
	xa_destroy(&c->xa);
}

static const struct bench_ops bench_xa_ops = {
	.init = bench_xa_init,
	.set = bench_xa_set,
	.get = bench_xa_get,
	.del = bench_xa_del,
	.count = bench_xa_count,
	.mem = bench_xa_mem,
	.destroy = bench_xa_destroy,
};

/* ---- the workloads, inlined into each structure's runner ---- */

static void bench_report(const char *name, const char *wl, unsigned int run,
			 u64 ops, u64 ns)
{
	pr_info("run\t%s\t%s\t%u\t%llu\t%llu\n", name, wl, run, ops, ns);
}

static __always_inline int bench_fill(const struct bench_ops *ops,
				      struct bench_ctx *c, u64 from, u64 to)
{
	u64 i;
	int err;

	for (i = from; i < to; i++) {
		err = ops->set(c, bench_key(i), i + 1);
		if (err)
			return err;
		if (bench_yield(i))
			return -EINTR;
	}
	return 0;
}

/* Keys [@from, @to) all there with their values (or, !@present, none). */
static __always_inline int bench_verify(const struct bench_ops *ops,
					struct bench_ctx *c, const char *name,
					u64 from, u64 to, bool present,
					const char *what)
{
	u64 i, v, hits = 0, sum = 0, want = 0;

	for (i = from; i < to; i++) {
		if (ops->get(c, bench_key(i), &v)) {
			hits++;
			sum += v;
		}
		want += i + 1;
		if (bench_yield(i))
			return -EINTR;
	}
	if (hits != (present ? to - from : 0) || (present && sum != want)) {
		pr_err("%s: %s: %llu of %llu keys found, checksum %llu, want %llu\n",
		       name, what, hits, to - from, sum, want);
		return -EINVAL;
	}
	return 0;
}

static __always_inline int bench_count(const struct bench_ops *ops,
				       struct bench_ctx *c, const char *name,
				       size_t want, const char *what)
{
	size_t count = ops->count(c);

	if (count == want)
		return 0;
	pr_err("%s: %s: count %zu, want %zu\n", name, what, count, want);
	return -EINVAL;
}

/*
 * M1: creation and @count inserts; M1H the same with a hint of @count.
 * Leaves the structure live on success only.
 */
static __always_inline int bench_insert(const struct bench_ops *ops,
					struct bench_ctx *c, const char *name,
					const char *wl, unsigned int run,
					u64 count, size_t hint)
{
	u64 t0, t1;
	int err;

	t0 = ktime_get_ns();
	err = ops->init(c, hint);
	if (err)
		return err;
	err = bench_fill(ops, c, 0, count);
	t1 = ktime_get_ns();
	if (!err && bench_wl(wl))
		bench_report(name, wl, run, count, t1 - t0);
	if (!err)
		err = bench_count(ops, c, name, count, wl);
	if (!err)
		err = bench_verify(ops, c, name, 0, count, true, "hits");
	if (!err)
		err = bench_verify(ops, c, name, count, count + count / 8 + 1,
				   false, "misses");
	if (err)
		ops->destroy(c);
	return err;
}

/* M2: @count hits in stride order. */
static __always_inline int bench_hit(const struct bench_ops *ops,
				     struct bench_ctx *c, const char *name,
				     unsigned int run, u64 count)
{
	u64 i, j, v, t0, t1, stride = bench_stride(count), hits = 0, sum = 0;

	t0 = ktime_get_ns();
	for (i = 0, j = 0; i < count; i++) {
		if (ops->get(c, bench_key(j), &v)) {
			hits++;
			sum += v;
		}
		j += stride;
		if (j >= count)
			j -= count;
		if (bench_yield(i))
			return -EINTR;
	}
	t1 = ktime_get_ns();
	if (hits != count || sum != count * (count + 1) / 2) {
		pr_err("%s: M2: %llu hits, checksum %llu, want %llu\n", name,
		       hits, sum, count);
		return -EINVAL;
	}
	bench_report(name, "M2", run, count, t1 - t0);
	return 0;
}

/* M3: @count lookups of absent keys. */
static __always_inline int bench_miss(const struct bench_ops *ops,
				      struct bench_ctx *c, const char *name,
				      unsigned int run, u64 count)
{
	u64 i, v, t0, t1, hits = 0;

	t0 = ktime_get_ns();
	for (i = count; i < 2 * count; i++) {
		hits += ops->get(c, bench_key(i), &v);
		if (bench_yield(i))
			return -EINTR;
	}
	t1 = ktime_get_ns();
	if (hits) {
		pr_err("%s: M3: %llu absent keys found\n", name, hits);
		return -EINVAL;
	}
	bench_report(name, "M3", run, count, t1 - t0);
	return bench_count(ops, c, name, count, "M3");
}

/* M4: delete all @count keys in stride order. */
static __always_inline int bench_delete(const struct bench_ops *ops,
					struct bench_ctx *c, const char *name,
					unsigned int run, u64 count)
{
	u64 i, j, t0, t1, stride = bench_stride(count), dels = 0;
	int err;

	t0 = ktime_get_ns();
	for (i = 0, j = 0; i < count; i++) {
		dels += ops->del(c, bench_key(j));
		j += stride;
		if (j >= count)
			j -= count;
		if (bench_yield(i))
			return -EINTR;
	}
	t1 = ktime_get_ns();
	if (dels != count) {
		pr_err("%s: M4: %llu of %llu deletes found their key\n", name,
		       dels, count);
		return -EINVAL;
	}
	bench_report(name, "M4", run, count, t1 - t0);
	err = bench_count(ops, c, name, 0, "M4");
	if (!err)
		err = bench_verify(ops, c, name, 0, count, false, "deleted");
	return err;
}

/* M5: @steps steps, each inserting key s and deleting key s - window. */
static __always_inline int bench_churn(const struct bench_ops *ops,
				       struct bench_ctx *c, const char *name,
				       unsigned int run, u64 steps,
				       struct bench_mem *m)
{
	u64 s, t0, t1, dels = 0, w = BENCH_WINDOW, live = min(steps, w);
	u64 gone = steps - live;
	int err;

	t0 = ktime_get_ns();
	err = ops->init(c, 0);
	if (err)
		return err;
	for (s = 0; s < steps; s++) {
		err = ops->set(c, bench_key(s), s + 1);
		if (err)
			break;
		if (s >= w)
			dels += ops->del(c, bench_key(s - w));
		if (bench_yield(s)) {
			err = -EINTR;
			break;
		}
	}
	t1 = ktime_get_ns();
	if (!err && dels != gone) {
		pr_err("%s: M5: %llu of %llu deletes found their key\n", name,
		       dels, gone);
		err = -EINVAL;
	}
	if (!err) {
		bench_report(name, "M5", run, steps, t1 - t0);
		err = bench_count(ops, c, name, live, "M5");
	}
	if (!err)
		err = bench_verify(ops, c, name, gone, steps, true, "window");
	if (!err)
		err = bench_verify(ops, c, name, gone - min(gone, w), gone,
				   false, "expired");
	if (!err)
		ops->mem(c, gone, steps, m);
	ops->destroy(c);
	return err;
}

/* One run of the workloads on one structure, and its mem line. */
static __always_inline int bench_run(const struct bench_ops *ops,
				     struct bench_ctx *c, const char *name,
				     unsigned int run, u64 count)
{
	struct bench_mem full = {}, empty = {}, churn = {};
	bool kvg = ops == &bench_kvg_ops;
	int err = 0;

	if (bench_wl("M1") || bench_wl("M2") || bench_wl("M3") ||
	    bench_wl("M4")) {
		err = bench_insert(ops, c, name, "M1", run, count, 0);
		if (err)
			return err;
		ops->mem(c, 0, count, &full);
		if (bench_wl("M2"))
			err = bench_hit(ops, c, name, run, count);
		if (!err && bench_wl("M3"))
			err = bench_miss(ops, c, name, run, count);
		if (!err && bench_wl("M4")) {
			err = bench_delete(ops, c, name, run, count);
			if (!err)
				ops->mem(c, 0, 0, &empty);
		}
		ops->destroy(c);
		if (!err && kvg && full.swiss != c->swiss) {
			pr_err("%s: the map's engine is not the one its flags select\n",
			       name);
			err = -EINVAL;
		}
	}
	if (!err && ops->hint && bench_wl("M1H")) {
		err = bench_insert(ops, c, name, "M1H", run, count, count);
		if (!err)
			ops->destroy(c);
	}
	if (!err && bench_wl("M5"))
		err = bench_churn(ops, c, name, run,
				  m5_steps ? m5_steps : 5 * count, &churn);
	if (err)
		return err;
	full.largest = max3(full.largest, empty.largest, churn.largest);
	pr_info("mem\t%s\t%u\t%llu\t%zu\t%zu\t%zu\t%zu\t%zu\t%s\n", name, run,
		count, full.bytes, full.largest, full.dir, empty.bytes,
		churn.bytes, full.note ? full.note : "-");
	if (full.model)
		pr_info("alloc\t%s\t%u\t%zu\t%zu\n", name, run, full.model,
			full.largest);
	return 0;
}

/*
 * The structures, and kvgrow's map engines with the flags that select each:
 * the one place the benchmark names an engine.
 */
struct bench_struct {
	const char *name;
	int (*run)(const struct bench_struct *bs, unsigned int run);
	unsigned int flags;		/* kvgrow: struct kvg_map_cfg.flags */
	bool swiss;			/* kvgrow: the engine they select */
};

static noinline int bench_kvg_run(const struct bench_struct *bs,
				  unsigned int run)
{
	bench_ctx.flags = bs->flags;
	bench_ctx.swiss = bs->swiss;
	return bench_run(&bench_kvg_ops, &bench_ctx, bs->name, run, n);
}

static noinline int bench_rht_run(const struct bench_struct *bs,
				  unsigned int run)
{
	return bench_run(&bench_rht_ops, &bench_ctx, bs->name, run, n);
}

static noinline int bench_xa_run(const struct bench_struct *bs,
				 unsigned int run)
{
	return bench_run(&bench_xa_ops, &bench_ctx, bs->name, run,
			 min(xa_n, n));
}

static const struct bench_struct bench_structs[] = {
	/* Swiss tables are the default engine */
	{ "kvg-swiss", bench_kvg_run, 0, true },
	{ "kvg-go119", bench_kvg_run, KVG_MAP_GO119, false },
	{ "rhashtable", bench_rht_run },
	{ "xarray", bench_xa_run },
};

static int __init kvgrow_bench_init(void)
{
	const char *names[ARRAY_SIZE(bench_structs)];
	unsigned int run, i;
	int err = 0;

	BUILD_BUG_ON(sizeof(unsigned long) < sizeof(u64));
	for (i = 0; i < ARRAY_SIZE(bench_structs); i++)
		names[i] = bench_structs[i].name;
	if (!n || !runs) {
		pr_err("n and runs must be at least 1\n");
		return -EINVAL;
	}
	if (!bench_list_valid(structs, names, ARRAY_SIZE(names))) {
		pr_err("structs=%s: a name that is no structure (modinfo lists them)\n",
		       structs);
		return -EINVAL;
	}
	if (!bench_list_valid(workloads, bench_wl_names,
			      ARRAY_SIZE(bench_wl_names))) {
		pr_err("workloads=%s: a name that is no workload (modinfo lists them)\n",
		       workloads);
		return -EINVAL;
	}
	pr_info("info\tn\t%u\txa_n\t%u\truns\t%u\tm5_steps\t%u\tnode_size\t%zu\tnode_from\t%s\n",
		n, min(xa_n, n), runs, m5_steps,
		xa_node_size ? (size_t)xa_node_size : sizeof(struct xa_node),
		xa_node_size ? "slab" : "sizeof");
	for (i = 0; i < ARRAY_SIZE(bench_structs); i++)
		if (bench_structs[i].run == bench_kvg_run)
			pr_info("engine\t%s\tflags\t%#x\n",
				bench_structs[i].name, bench_structs[i].flags);
	for (run = 1; !err && run <= runs; run++)
		for (i = 0; !err && i < ARRAY_SIZE(bench_structs); i++)
			if (bench_listed(structs, bench_structs[i].name))
				err = bench_structs[i].run(&bench_structs[i],
							   run);
	if (err)
		pr_err("done\terror\t%d\n", err);
	else
		pr_info("done\tok\t0\n");
	return err;
}

static void __exit kvgrow_bench_exit(void)
{
}

module_init(kvgrow_bench_init);
module_exit(kvgrow_bench_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("kvgrow benchmark: maps against rhashtable and xarray");
