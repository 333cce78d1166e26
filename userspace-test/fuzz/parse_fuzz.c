// SPDX-License-Identifier: GPL-2.0
/*
 * The control file's parser (kmod/lab/parse.c) on arbitrary writes: the
 * input is the write, copied to a block of exactly its size so that ASan
 * catches a read past it.  A refused write must come with a reason; an
 * accepted one must format (kvg_cmd_format()) to text that parses back to
 * the same command, and formats to the same text again.
 */
#include <stdint.h>
#include <string.h>
#include "fuzz.h"
#include "parse.h"

static bool same_cmd(const struct kvg_cmd *a, const struct kvg_cmd *b)
{
	return a->op == b->op && !strcmp(a->name, b->name) &&
	       a->policy.kind == b->policy.kind && a->policy.num == b->policy.num &&
	       a->policy.den == b->policy.den && a->map_mode == b->map_mode &&
	       a->num[0] == b->num[0] && a->num[1] == b->num[1];
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char text[KVG_CMD_FORMAT_MAX], again[KVG_CMD_FORMAT_MAX];
	char *buf = malloc(size ? size : 1);
	struct kvg_cmd a, b;
	const char *why = NULL;
	int n;

	FUZZ_CHECK(buf, "out of memory");
	memcpy(buf, data, size);
	if (kvg_cmd_parse(buf, size, &a, &why)) {
		FUZZ_CHECK(why && *why, "refused without a reason");
	} else {
		n = kvg_cmd_format(&a, text, sizeof(text));
		FUZZ_CHECK(n > 0 && n < (int)sizeof(text), "format gave %d", n);
		FUZZ_CHECK(!kvg_cmd_parse(text, n, &b, &why), "'%s' refused: %s",
			   text, why);
		FUZZ_CHECK(same_cmd(&a, &b), "'%s' parses to another command", text);
		FUZZ_CHECK(kvg_cmd_format(&b, again, sizeof(again)) == n &&
			   !strcmp(text, again), "'%s' formats as '%s'", text, again);
	}
	free(buf);
	return 0;
}
