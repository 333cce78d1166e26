#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# usage: scripts/kvrealloc-probe.sh DIR...
#   Print "oldsize" if DIR/include/linux/slab.h, for any DIR (a kernel source
#   or header tree; Debian splits its headers into -amd64 and -common),
#   declares kvrealloc() with the oldsize argument that 6.12 removed (the
#   _noprof form covers 6.10, 6.11 and backports), else "nooldsize".  Exits
#   2, printing nothing, if no DIR has the header.  The one probe:
#   kvgrow.mk and scripts/check-kernel.sh both run it.
found=
for d in "$@"; do
	[ -f "$d/include/linux/slab.h" ] || continue
	found=y
	if grep -Eq 'kvrealloc(_noprof)?\(const void \*p, size_t oldsize' \
		"$d/include/linux/slab.h"; then
		echo oldsize
		exit 0
	fi
done
if [ -z "$found" ]; then
	echo "kvrealloc-probe.sh: no include/linux/slab.h under: $*" >&2
	exit 2
fi
echo nooldsize
