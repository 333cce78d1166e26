# SPDX-License-Identifier: GPL-2.0
# A kvg_vec trace: an exact vector (id 20) of 8-byte elements appended one
# at a time to N, with the footprints and moves of the kernel allocator
# (kmalloc size classes; krealloc in place within a class) worked out here
# and not by the library.  awk -v N=100 -f exact-appends.awk
# An exact vector of 8-byte elements appended one at a time to N
function km(n,  p) { if (n <= 8) return 8; if (n <= 16) return 16; if (n <= 32) return 32;
	if (n <= 64) return 64; if (n <= 96) return 96; if (n <= 128) return 128;
	if (n <= 192) return 192; p = 256; while (p < n) p *= 2; return p }
BEGIN {
	for (i = 1; i <= N; i++) {
		fp = km(8 * i); mv = (i > 1 && fp != old) ? 8 * (i - 1) : 0
		if (mv) { if (old + fp > peak) peak = old + fp } else if (fp > peak) peak = fp
		moved += mv
		printf "  sh-1 [000] ..... 1.%06d: kvg_vec_grow: vec=00000000deadbeef id=20 pages=0 policy=exact need=%d elem_size=8 len=%d cap=%d->%d footprint=%d moved=%d caller=cmd_append+0x1/0x2 [kvgrow_lab]\n", i, i, i - 1, i - 1, i, fp, mv
		old = fp
	}
	printf "  sh-1 [000] ..... 2.000000: kvg_vec_free: vec=00000000deadbeef id=20 pages=0 policy=exact elem_size=8 len=%d cap=%d footprint=%d peak=%d grows=%d shrinks=0 moved=%d caller=cmd_destroy+0x1/0x2 [kvgrow_lab]\n", N, N, fp, peak, N, moved
}
