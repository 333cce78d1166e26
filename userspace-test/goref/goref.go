// SPDX-License-Identifier: GPL-2.0
//
// goref prints the capacities Go's own runtime gives when appending to
// slices of [N]byte, for every N that sizes.go instantiates.  Each line is
// "elem_size len cap add new_cap", the input of `kvgrow-sim grow` plus
// Go's answer.  Build it with the Go toolchain under test (Go 1.19).
package main

import (
	"bufio"
	"fmt"
	"os"
)

// A chain grows its backing array past maxBytes, well beyond Go's 32 KiB
// size classes; append-many probes start from arrays up to probeBytes.
const (
	maxBytes   = 256 << 10
	probeBytes = 64 << 10
)

func emit[T any](w *bufio.Writer, esize, l, c, add int) {
	s := make([]T, l, c)
	s = append(s, make([]T, add)...)
	fmt.Fprintf(w, "%d %d %d %d %d\n", esize, l, c, add, cap(s))
}

// run appends one element at a time from nil, printing every growth, and
// from each full state it met appends several at once, and from half-full
// states more than fits.
func run[T any](w *bufio.Writer) {
	var zero T
	var s []T
	esize := int(unsafeSizeof(zero))
	var caps []int

	for cap(s)*esize <= maxBytes {
		c := cap(s)
		if len(s) == c {
			caps = append(caps, c)
		}
		s = append(s, zero)
		if cap(s) != c {
			fmt.Fprintf(w, "%d %d %d 1 %d\n", esize, len(s)-1, c, cap(s))
		}
	}
	for _, c := range caps {
		if c*esize > probeBytes {
			break
		}
		for _, add := range []int{2, 3, 7, 100, c + 1, 2*c + 1, 3*c + 5} {
			emit[T](w, esize, c, c, add)
		}
		if c > 1 {
			emit[T](w, esize, c/2, c, c-c/2+1)
			emit[T](w, esize, 0, c, c+1)
		}
	}
}

func main() {
	w := bufio.NewWriter(os.Stdout)
	for _, r := range runners {
		r(w)
	}
	if err := w.Flush(); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
