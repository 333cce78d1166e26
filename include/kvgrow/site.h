/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Call sites: where a container was created.  The init macros record
 * their caller in a static struct, one per call site, as the kernel's
 * allocation tags do; debugfs groups containers by it.
 */
#ifndef _KVGROW_SITE_H
#define _KVGROW_SITE_H

struct kvg_site {
	const char *file;
	const char *func;
	unsigned int line;
};

/* The site of the code this expands in. */
#define KVG_SITE()							\
({									\
	static const struct kvg_site __kvg_site = {			\
		.file = __FILE__,					\
		.func = __func__,					\
		.line = __LINE__,					\
	};								\
	&__kvg_site;							\
})

#endif /* _KVGROW_SITE_H */
