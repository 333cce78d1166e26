// SPDX-License-Identifier: GPL-2.0
/*
 * Reading kvgrow's vector trace events back: pure, one line at a time.
 *
 * A line is "<anything> kvg_vec_<event>: key=value ...", as tracefs's trace
 * file and perf script print it.  The keys must be exactly those of this
 * kvgrow's TP_printk() formats (lib/kvg_trace.h), in order: a missing,
 * extra or renamed key is a trace from another kvgrow version, refused
 * rather than misread.  Comments, the tracefs header and other events,
 * kvgrow's map events included, are skipped.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/kernel.h>
#include "trace-parse.h"

enum fkind { F_PTR, F_U64, F_BOOL, F_SIZE, F_POLICY, F_CAPS, F_CALLER };

struct field {
	const char *key;
	enum fkind kind;
};

/* The formats of lib/kvg_trace.h, field by field. */
static const struct field resize_fields[] = {
	{ "vec", F_PTR }, { "id", F_U64 }, { "pages", F_BOOL },
	{ "policy", F_POLICY }, { "need", F_SIZE }, { "elem_size", F_SIZE }, { "len", F_SIZE },
	{ "cap", F_CAPS }, { "footprint", F_SIZE }, { "moved", F_U64 },
	{ "caller", F_CALLER }, { NULL, 0 },
};

static const struct field free_fields[] = {
	{ "vec", F_PTR }, { "id", F_U64 }, { "pages", F_BOOL },
	{ "policy", F_POLICY }, { "elem_size", F_SIZE }, { "len", F_SIZE }, { "cap", F_SIZE },
	{ "footprint", F_SIZE }, { "peak", F_SIZE }, { "grows", F_U64 },
	{ "shrinks", F_U64 }, { "moved", F_U64 }, { "caller", F_CALLER },
	{ NULL, 0 },
};

static const struct {
	const char *name;
	enum kvg_tev_kind kind;
	const struct field *fields;
} events[] = {
	{ "kvg_vec_make", KVG_TEV_MAKE, resize_fields },
	{ "kvg_vec_grow", KVG_TEV_GROW, resize_fields },
	{ "kvg_vec_shrink", KVG_TEV_SHRINK, resize_fields },
	{ "kvg_vec_free", KVG_TEV_FREE, free_fields },
};

static int __printf(4, 5) fail(int err, char *msg, size_t msg_len,
			       const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, msg_len, fmt, ap);
	va_end(ap);
	return err;
}

/* A whole decimal number of @len bytes: no sign, no junk, no overflow. */
static int number(const char *s, size_t len, u64 max, u64 *out)
{
	char buf[24], *end;
	unsigned long long v;

	if (!len || len >= sizeof(buf) || *s < '0' || *s > '9')
		return -EINVAL;
	memcpy(buf, s, len);
	buf[len] = '\0';
	errno = 0;
	v = strtoull(buf, &end, 10);
	if (errno || *end || v > max)
		return -EINVAL;
	*out = v;
	return 0;
}

/* Store field @f's value @val (@len bytes) in @ev. */
static int store(struct kvg_tev *ev, const struct field *f, const char *val,
		 size_t len)
{
	const char *arrow;
	char name[KVG_POLICY_NAME_MAX];
	u64 v, w;
	int err;

	switch (f->kind) {
	case F_PTR:
	case F_CALLER:
		return len ? 0 : -EINVAL;
	case F_POLICY:
		if (!len || len >= sizeof(name))
			return -EINVAL;
		memcpy(name, val, len);
		name[len] = '\0';
		return kvg_policy_parse(name, &ev->policy) ? -EINVAL : 0;
	case F_CAPS:
		arrow = memchr(val, '-', len);
		if (!arrow || arrow + 1 == val + len || arrow[1] != '>')
			return -EINVAL;
		err = number(val, arrow - val, SIZE_MAX, &v);
		if (!err)
			err = number(arrow + 2, val + len - arrow - 2, SIZE_MAX, &w);
		if (err)
			return err;
		ev->old_cap = v;
		ev->cap = w;
		return 0;
	default:
		err = number(val, len, f->kind == F_BOOL ? 1 :
			     f->kind == F_SIZE ? SIZE_MAX : U64_MAX, &v);
		if (err)
			return err;
		break;
	}
	if (!strcmp(f->key, "id"))
		ev->id = v;
	else if (!strcmp(f->key, "pages"))
		ev->pages = v;
	else if (!strcmp(f->key, "need"))
		ev->need = v;
	else if (!strcmp(f->key, "elem_size"))
		ev->elem_size = v;
	else if (!strcmp(f->key, "len"))
		ev->len = v;
	else if (!strcmp(f->key, "cap"))
		ev->cap = v;
	else if (!strcmp(f->key, "footprint"))
		ev->footprint = v;
	else if (!strcmp(f->key, "moved"))
		ev->moved = v;
	else if (!strcmp(f->key, "peak"))
		ev->peak = v;
	else if (!strcmp(f->key, "grows"))
		ev->grows = v;
	else
		ev->shrinks = v;
	return 0;
}

/* What a resize of each kind must look like: else it is misread. */
static const char *inconsistent(const struct kvg_tev *ev)
{
	if (!ev->elem_size)
		return "elem_size 0";
	switch (ev->kind) {
	case KVG_TEV_MAKE:
		if (ev->old_cap || ev->len || !ev->need || ev->cap < ev->need)
			return "a make needs cap 0->C, len 0 and 0 < need <= C";
		break;
	case KVG_TEV_GROW:
		if (ev->cap <= ev->old_cap || ev->need <= ev->old_cap ||
		    ev->need > ev->cap || ev->len >= ev->need)
			return "a grow needs len < need, old cap < need <= new cap";
		break;
	case KVG_TEV_SHRINK:
		if (ev->cap >= ev->old_cap || ev->need != ev->len ||
		    ev->len > ev->cap)
			return "a shrink needs need = len <= new cap < old cap";
		break;
	case KVG_TEV_FREE:
		if (ev->len > ev->cap)
			return "len above cap";
		break;
	}
	return NULL;
}

/**
 * kvg_trace_parse() - Read one line of a kvgrow trace.
 * @line: The line, with or without its newline.
 * @ev: Where a vector event is stored.
 * @msg: Where an error is described, without the line number.
 * @msg_len: Size of @msg.
 *
 * Return: 0 with *@ev set; KVG_TEV_SKIP for a line that is no vector
 * event; -EINVAL for a malformed event, -EPROTO for a format that is not
 * this kvgrow's (a field missing, extra or renamed, an unknown
 * kvg_vec_ event), both described in @msg.
 */
int kvg_trace_parse(const char *line, struct kvg_tev *ev, char *msg,
		    size_t msg_len)
{
	const struct field *f;
	const char *p, *name, *key, *eq, *end;
	size_t n, i, len;

	p = line + strspn(line, " \t");
	if (*p == '#' || !*p || *p == '\n')
		return KVG_TEV_SKIP;
	/* The event name: after a blank or a "kvgrow:", before ": ". */
	for (name = strstr(p, "kvg_vec_"); name; name = strstr(name + 1, "kvg_vec_"))
		if (name == p || name[-1] == ' ' || name[-1] == ':')
			break;
	if (!name)
		return KVG_TEV_SKIP;
	n = strspn(name, "abcdefghijklmnopqrstuvwxyz_");
	if (name[n] != ':')
		return KVG_TEV_SKIP;
	for (i = 0; i < ARRAY_SIZE(events); i++)
		if (strlen(events[i].name) == n && !strncmp(name, events[i].name, n))
			break;
	if (i == ARRAY_SIZE(events))
		return fail(-EPROTO, msg, msg_len,
			    "unknown event %.*s: a trace from another kvgrow version",
			    (int)n, name);
	*ev = (struct kvg_tev){ .kind = events[i].kind };
	p = name + n + 1;
	for (f = events[i].fields; f->key; f++) {
		p += strspn(p, " ");
		len = strcspn(p, "\r\n");
		if (!len)
			return fail(-EPROTO, msg, msg_len,
				    "%s has no %s=: a line cut short, or a trace from another kvgrow version",
				    events[i].name, f->key);
		key = p;
		eq = memchr(p, '=', strcspn(p, " \r\n"));
		if (!eq || (size_t)(eq - key) != strlen(f->key) ||
		    strncmp(key, f->key, eq - key))
			return fail(-EPROTO, msg, msg_len,
				    "%s: %.*s where %s= belongs: a trace from another kvgrow version",
				    events[i].name, (int)strcspn(p, "= \r\n"), p,
				    f->key);
		end = eq + 1 + strcspn(eq + 1, " \r\n");
		/* The caller (%pS) may end with its module: " [mod]". */
		if (f->kind == F_CALLER && end[0] == ' ' && end[1] == '[')
			end += strcspn(end, "]\r\n") + (end[strcspn(end, "]\r\n")] == ']');
		if (store(ev, f, eq + 1, end - eq - 1))
			return fail(-EINVAL, msg, msg_len, "%s: bad %s '%.*s'",
				    events[i].name, f->key,
				    (int)(end - eq - 1), eq + 1);
		p = end;
	}
	p += strspn(p, " \r\n");
	if (*p)
		return fail(-EPROTO, msg, msg_len,
			    "%s: more fields than this kvgrow's: a trace from another kvgrow version",
			    events[i].name);
	if (ev->kind == KVG_TEV_FREE)
		ev->old_cap = ev->cap;
	if (inconsistent(ev))
		return fail(-EINVAL, msg, msg_len, "%s: %s", events[i].name,
			    inconsistent(ev));
	return 0;
}
