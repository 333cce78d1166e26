// SPDX-License-Identifier: GPL-2.0
/*
 * Container names: see <kvgrow/name.h>.
 */
#include <linux/export.h>
#include <linux/string.h>
#include <kvgrow/name.h>

/* ASCII only: the kernel's isalnum() takes Latin-1 letters (0xc0-0xff) too. */
static bool name_char_valid(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || c == '_' || c == '.' || c == '-';
}

/**
 * kvg_name_valid() - Whether @name can name a registered container
 * @name: a NUL-terminated string
 *
 * A name is 1 to KVG_NAME_MAX characters of ``[A-Za-z0-9_.-]``, and not "." or
 * "..", which debugfs cannot hold as file names.  Only those ASCII bytes:
 * no byte 0x80 or above.
 *
 * Context: any.
 * Return: true if it is valid.
 */
bool kvg_name_valid(const char *name)
{
	size_t i, len = strnlen(name, KVG_NAME_MAX + 1);

	if (!len || len > KVG_NAME_MAX || !strcmp(name, ".") || !strcmp(name, ".."))
		return false;
	for (i = 0; i < len; i++)
		if (!name_char_valid(name[i]))
			return false;
	return true;
}
EXPORT_SYMBOL_GPL(kvg_name_valid);
