/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kvgrow's tracepoints: every growth event with its sizes and the address
 * of the library call that caused it (%pS: function+offset).  In tracefs
 * under events/kvgrow/; perf and bpftrace see them as kvgrow:<event>.
 *
 * A vector's events carry its id (one per kvg_vec_init_raw(), unique until
 * kvgrow is reloaded), whether it may take the page backend (pages=1: see
 * lib/vec_pages.c), policy and the length it needed, and it ends with
 * kvg_vec_free: enough for kvgrow-sim replay to follow each vector's length
 * under every policy.  The replay reads these formats; change them together.
 */
#ifndef _KVG_TRACE_EVENTS_H
#define _KVG_TRACE_EVENTS_H

#include <linux/types.h>
#include <kvgrow/policy.h>

/* What a vector or map resize event records. */
struct kvg_vec_event {
	const void *vec;
	u64 id;
	bool pages;			/* it may take the page backend */
	struct kvg_policy policy;
	size_t need, elem_size, len, old_cap, new_cap, footprint, moved;
	unsigned long caller;
};

/* What kvg_vec_free records: the vector's last state and its totals. */
struct kvg_vec_free_event {
	const void *vec;
	u64 id;
	bool pages;			/* it may take the page backend */
	struct kvg_policy policy;
	size_t elem_size, len, cap, footprint, peak;
	u64 grows, shrinks, moved;
	unsigned long caller;
};

struct kvg_map_event {
	const void *map;
	unsigned int old_B, new_B;
	size_t count, overflow, footprint;
	unsigned long caller;
};

/*
 * What a Swiss map's events record (lib/swiss_dir.c): for a table event,
 * the slots and local depth of the table(s) replaced and of the new
 * one(s); for a directory event, its entries (in the slots fields) and
 * the global depth before and after; then the map's figures once the
 * change is committed.
 */
struct kvg_swiss_event {
	const void *map;
	size_t old_slots, new_slots;
	unsigned int old_depth, new_depth;
	size_t count, tables;
	unsigned int global_depth;
	size_t footprint;
	unsigned long caller;
};

#endif /* _KVG_TRACE_EVENTS_H */

#undef TRACE_SYSTEM
#define TRACE_SYSTEM kvgrow

#if !defined(_KVG_TRACE_H) || defined(TRACE_HEADER_MULTI_READ)
#define _KVG_TRACE_H

#include <linux/tracepoint.h>

DECLARE_EVENT_CLASS(kvg_vec_resize,
		    TP_PROTO(const struct kvg_vec_event *ev),
		    TP_ARGS(ev),
		    TP_STRUCT__entry(__field(const void *, vec)
				     __field(u64, id)
				     __field(u8, pages)
				     __array(char, policy, KVG_POLICY_NAME_MAX)
				     __field(size_t, need)
				     __field(size_t, elem_size)
				     __field(size_t, len)
				     __field(size_t, old_cap)
				     __field(size_t, new_cap)
				     __field(size_t, footprint)
				     __field(size_t, moved)
				     __field(unsigned long, caller)),
		    TP_fast_assign(__entry->vec = ev->vec;
				   __entry->id = ev->id;
				   __entry->pages = ev->pages;
				   kvg_policy_name(ev->policy, __entry->policy,
						   KVG_POLICY_NAME_MAX);
				   __entry->need = ev->need;
				   __entry->elem_size = ev->elem_size;
				   __entry->len = ev->len;
				   __entry->old_cap = ev->old_cap;
				   __entry->new_cap = ev->new_cap;
				   __entry->footprint = ev->footprint;
				   __entry->moved = ev->moved;
				   __entry->caller = ev->caller;),
		    TP_printk("vec=%p id=%llu pages=%u policy=%s need=%zu elem_size=%zu len=%zu cap=%zu->%zu footprint=%zu moved=%zu caller=%pS",
			      __entry->vec, (unsigned long long)__entry->id,
			      __entry->pages, __entry->policy, __entry->need,
			      __entry->elem_size, __entry->len,
			      __entry->old_cap, __entry->new_cap, __entry->footprint,
			      __entry->moved, (void *)__entry->caller)
);

/*
 * A make with a hint (need: the hint), a grow for len + more elements
 * (need: len + more; len is before the append), a clip (need: len).
 */
DEFINE_EVENT(kvg_vec_resize, kvg_vec_make,
	     TP_PROTO(const struct kvg_vec_event *ev), TP_ARGS(ev));
DEFINE_EVENT(kvg_vec_resize, kvg_vec_grow,
	     TP_PROTO(const struct kvg_vec_event *ev), TP_ARGS(ev));
DEFINE_EVENT(kvg_vec_resize, kvg_vec_shrink,
	     TP_PROTO(const struct kvg_vec_event *ev), TP_ARGS(ev));

/* A live vector freed: its last length and footprint, and its totals. */
TRACE_EVENT(kvg_vec_free,
	    TP_PROTO(const struct kvg_vec_free_event *ev),
	    TP_ARGS(ev),
	    TP_STRUCT__entry(__field(const void *, vec)
			     __field(u64, id)
			     __field(u8, pages)
			     __array(char, policy, KVG_POLICY_NAME_MAX)
			     __field(size_t, elem_size)
			     __field(size_t, len)
			     __field(size_t, cap)
			     __field(size_t, footprint)
			     __field(size_t, peak)
			     __field(u64, grows)
			     __field(u64, shrinks)
			     __field(u64, moved)
			     __field(unsigned long, caller)),
	    TP_fast_assign(__entry->vec = ev->vec;
			   __entry->id = ev->id;
			   __entry->pages = ev->pages;
			   kvg_policy_name(ev->policy, __entry->policy,
					   KVG_POLICY_NAME_MAX);
			   __entry->elem_size = ev->elem_size;
			   __entry->len = ev->len;
			   __entry->cap = ev->cap;
			   __entry->footprint = ev->footprint;
			   __entry->peak = ev->peak;
			   __entry->grows = ev->grows;
			   __entry->shrinks = ev->shrinks;
			   __entry->moved = ev->moved;
			   __entry->caller = ev->caller;),
	    TP_printk("vec=%p id=%llu pages=%u policy=%s elem_size=%zu len=%zu cap=%zu footprint=%zu peak=%zu grows=%llu shrinks=%llu moved=%llu caller=%pS",
		      __entry->vec, (unsigned long long)__entry->id,
		      __entry->pages, __entry->policy, __entry->elem_size,
		      __entry->len,
		      __entry->cap, __entry->footprint, __entry->peak,
		      (unsigned long long)__entry->grows,
		      (unsigned long long)__entry->shrinks,
		      (unsigned long long)__entry->moved,
		      (void *)__entry->caller)
);

DECLARE_EVENT_CLASS(kvg_map_resize,
		    TP_PROTO(const struct kvg_map_event *ev),
		    TP_ARGS(ev),
		    TP_STRUCT__entry(__field(const void *, map)
				     __field(unsigned int, old_B)
				     __field(unsigned int, new_B)
				     __field(size_t, count)
				     __field(size_t, overflow)
				     __field(size_t, footprint)
				     __field(unsigned long, caller)),
		    TP_fast_assign(__entry->map = ev->map;
				   __entry->old_B = ev->old_B;
				   __entry->new_B = ev->new_B;
				   __entry->count = ev->count;
				   __entry->overflow = ev->overflow;
				   __entry->footprint = ev->footprint;
				   __entry->caller = ev->caller;),
		    TP_printk("map=%p B=%u->%u count=%zu overflow=%zu footprint=%zu caller=%pS",
			      __entry->map, __entry->old_B, __entry->new_B, __entry->count,
			      __entry->overflow, __entry->footprint,
			      (void *)__entry->caller)
);

/* A doubling, a same-size grow or a halving started; an evacuation done. */
DEFINE_EVENT(kvg_map_resize, kvg_map_grow,
	     TP_PROTO(const struct kvg_map_event *ev), TP_ARGS(ev));
DEFINE_EVENT(kvg_map_resize, kvg_map_same_size_grow,
	     TP_PROTO(const struct kvg_map_event *ev), TP_ARGS(ev));
DEFINE_EVENT(kvg_map_resize, kvg_map_shrink,
	     TP_PROTO(const struct kvg_map_event *ev), TP_ARGS(ev));
DEFINE_EVENT(kvg_map_resize, kvg_map_evacuated,
	     TP_PROTO(const struct kvg_map_event *ev), TP_ARGS(ev));

/*
 * Swiss maps (the default engine, lib/swiss.h), after each change is
 * committed: a table rebuilt larger, at its own size (tombstones pruned)
 * or smaller; a table split in two, or two merged into one (slots: of both
 * tables, depth: local); the directory doubled or halved (its entries
 * and the global depth, before and after).
 */
DECLARE_EVENT_CLASS(kvg_swiss_change,
		    TP_PROTO(const struct kvg_swiss_event *ev),
		    TP_ARGS(ev),
		    TP_STRUCT__entry(__field(const void *, map)
				     __field(size_t, old_slots)
				     __field(size_t, new_slots)
				     __field(unsigned int, old_depth)
				     __field(unsigned int, new_depth)
				     __field(size_t, count)
				     __field(size_t, tables)
				     __field(unsigned int, global_depth)
				     __field(size_t, footprint)
				     __field(unsigned long, caller)),
		    TP_fast_assign(__entry->map = ev->map;
				   __entry->old_slots = ev->old_slots;
				   __entry->new_slots = ev->new_slots;
				   __entry->old_depth = ev->old_depth;
				   __entry->new_depth = ev->new_depth;
				   __entry->count = ev->count;
				   __entry->tables = ev->tables;
				   __entry->global_depth = ev->global_depth;
				   __entry->footprint = ev->footprint;
				   __entry->caller = ev->caller;),
		    TP_printk("map=%p slots=%zu->%zu depth=%u->%u count=%zu tables=%zu global_depth=%u footprint=%zu caller=%pS",
			      __entry->map, __entry->old_slots, __entry->new_slots,
			      __entry->old_depth, __entry->new_depth,
			      __entry->count, __entry->tables,
			      __entry->global_depth, __entry->footprint,
			      (void *)__entry->caller)
);

DEFINE_EVENT(kvg_swiss_change, kvg_map_table_grow,
	     TP_PROTO(const struct kvg_swiss_event *ev), TP_ARGS(ev));
DEFINE_EVENT(kvg_swiss_change, kvg_map_table_same_size,
	     TP_PROTO(const struct kvg_swiss_event *ev), TP_ARGS(ev));
DEFINE_EVENT(kvg_swiss_change, kvg_map_table_shrink,
	     TP_PROTO(const struct kvg_swiss_event *ev), TP_ARGS(ev));
DEFINE_EVENT(kvg_swiss_change, kvg_map_split,
	     TP_PROTO(const struct kvg_swiss_event *ev), TP_ARGS(ev));
DEFINE_EVENT(kvg_swiss_change, kvg_map_merge,
	     TP_PROTO(const struct kvg_swiss_event *ev), TP_ARGS(ev));

/* The directory: its entries (old_slots, new_slots) and global depths. */
DECLARE_EVENT_CLASS(kvg_swiss_dir,
		    TP_PROTO(const struct kvg_swiss_event *ev),
		    TP_ARGS(ev),
		    TP_STRUCT__entry(__field(const void *, map)
				     __field(size_t, old_entries)
				     __field(size_t, new_entries)
				     __field(unsigned int, old_depth)
				     __field(unsigned int, new_depth)
				     __field(size_t, count)
				     __field(size_t, tables)
				     __field(size_t, footprint)
				     __field(unsigned long, caller)),
		    TP_fast_assign(__entry->map = ev->map;
				   __entry->old_entries = ev->old_slots;
				   __entry->new_entries = ev->new_slots;
				   __entry->old_depth = ev->old_depth;
				   __entry->new_depth = ev->new_depth;
				   __entry->count = ev->count;
				   __entry->tables = ev->tables;
				   __entry->footprint = ev->footprint;
				   __entry->caller = ev->caller;),
		    TP_printk("map=%p entries=%zu->%zu global_depth=%u->%u count=%zu tables=%zu footprint=%zu caller=%pS",
			      __entry->map, __entry->old_entries,
			      __entry->new_entries, __entry->old_depth,
			      __entry->new_depth, __entry->count,
			      __entry->tables, __entry->footprint,
			      (void *)__entry->caller)
);

DEFINE_EVENT(kvg_swiss_dir, kvg_map_dir_double,
	     TP_PROTO(const struct kvg_swiss_event *ev), TP_ARGS(ev));
DEFINE_EVENT(kvg_swiss_dir, kvg_map_dir_halve,
	     TP_PROTO(const struct kvg_swiss_event *ev), TP_ARGS(ev));

#endif /* _KVG_TRACE_H */

/* Out of tree: the build puts lib/ on the include path. */
#undef TRACE_INCLUDE_PATH
#define TRACE_INCLUDE_PATH .
#undef TRACE_INCLUDE_FILE
#define TRACE_INCLUDE_FILE kvg_trace
#include <trace/define_trace.h>
