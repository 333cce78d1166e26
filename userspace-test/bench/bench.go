// SPDX-License-Identifier: GPL-2.0

// The Go 1.19 peers of the kvgrow benchmark: slice append and the builtin
// map, running the workloads of workloads.h with the same keys, the same
// verification and the same one-line output.
//
//	bench-go WORKLOAD N
package main

import (
	"fmt"
	"math"
	"os"
	"runtime"
	"runtime/debug"
	"sort"
	"strconv"
	"syscall"
	"time"
	"unsafe"
)

const window = 1000

var (
	t0, t1     time.Time
	flt0, flt1 int64
	sys0, sys1 float64
	frozenPeak int64
	ok         = true
	extra      string
)

// key is bench.h's bench_key(): kvg_mix64(i + 1), include/kvgrow/mix.h.
func key(i uint64) uint64 {
	x := i + 1
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9
	x = (x ^ (x >> 27)) * 0x94d049bb133111eb
	return x ^ (x >> 31)
}

func stride(n uint64) uint64 {
	s := uint64(1)
	if n >= 3 {
		s = uint64(float64(n)*0.6180339887) | 1
	}
	for ; ; s++ {
		a, b := n, s
		for b != 0 {
			a, b = b, a%b
		}
		if a == 1 {
			return s
		}
	}
}

func rusage() *syscall.Rusage {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return &ru
}

func sysMs(ru *syscall.Rusage) float64 {
	return float64(ru.Stime.Sec)*1e3 + float64(ru.Stime.Usec)/1e3
}

func start() {
	ru := rusage()
	flt0, sys0 = ru.Minflt, sysMs(ru)
	t0 = time.Now()
}

func stop() {
	t1 = time.Now()
	ru := rusage()
	flt1, sys1 = ru.Minflt, sysMs(ru)
}

func addExtra(format string, a ...interface{}) {
	extra += " " + fmt.Sprintf(format, a...)
}

func fail(format string, a ...interface{}) {
	ok = false
	fmt.Fprintf(os.Stderr, "bench: verification failed: "+format+"\n", a...)
}

func rssKB() int64 {
	var size, resident int64
	f, err := os.Open("/proc/self/statm")
	if err != nil {
		return 0
	}
	defer f.Close()
	fmt.Fscan(f, &size, &resident)
	return resident * int64(os.Getpagesize()) / 1024
}

// The RSS once the garbage is collected and returned, as C frees it.
func rssAfterGC() int64 {
	debug.FreeOSMemory()
	return rssKB()
}

func peakKB() int64 {
	if frozenPeak != 0 {
		return frozenPeak
	}
	return rusage().Maxrss
}

// V1 (hint 0) and V2: push n keys one at a time.
func wlPush(n, hint uint64) {
	var s []uint64
	if hint > 0 {
		s = make([]uint64, 0, hint)
	}
	start()
	for i := uint64(0); i < n; i++ {
		s = append(s, key(i))
	}
	stop()
	var sum, want uint64
	if uint64(len(s)) != n {
		fail("len %d, want %d", len(s), n)
	}
	for i := uint64(0); i < uint64(len(s)); i++ {
		sum += s[i] * (2*i + 1)
		want += key(i) * (2*i + 1)
	}
	if sum != want {
		fail("checksum %x, want %x", sum, want)
	}
	buf := cap(s) * 8
	s = nil
	// Untimed replay for the grows and the bytes growslice copied.
	frozenPeak = peakKB()
	runtime.GC()
	var r []uint64
	if hint > 0 {
		r = make([]uint64, 0, hint)
	}
	var grows, moved uint64
	for i := uint64(0); i < n; i++ {
		c := cap(r)
		r = append(r, key(i))
		if cap(r) != c {
			grows++
			moved += uint64(len(r)-1) * 8
		}
	}
	addExtra("grows=%d moved=%d buf_kb=%d check=%016x", grows, moved,
		buf/1024, sum)
}

// The runtime's hmap header (Go 1.19 runtime/map.go), for B.
type hmap struct {
	count     int
	flags     uint8
	B         uint8
	noverflow uint16
	hash0     uint32
	buckets   unsafe.Pointer
}

func mapCap(m map[uint64]uint64) int64 {
	h := *(**hmap)(unsafe.Pointer(&m))
	if h.buckets == nil {
		return 0
	}
	return 8 << h.B
}

func fill(m map[uint64]uint64, from, to uint64) {
	for i := from; i < to; i++ {
		m[key(i)] = i + 1
	}
}

func verify(m map[uint64]uint64, from, to uint64, present bool, what string) {
	var hits, sum, want uint64
	for i := from; i < to; i++ {
		if v, found := m[key(i)]; found {
			hits++
			sum += v
		}
		want += i + 1
	}
	exp := uint64(0)
	if present {
		exp = to - from
	}
	if hits != exp || (present && sum != want) {
		fail("%s: %d of %d keys found, checksum %d, want %d", what,
			hits, to-from, sum, want)
	}
}

func checkCount(m map[uint64]uint64, want uint64, what string) {
	if uint64(len(m)) != want {
		fail("%s: count %d, want %d", what, len(m), want)
	}
}

func newMap(hint uint64) map[uint64]uint64 {
	if hint > 0 {
		return make(map[uint64]uint64, hint)
	}
	return make(map[uint64]uint64)
}

// After n inserts: the count, every key's value, and n / 8 misses.
func checkInserted(m map[uint64]uint64, n uint64) {
	checkCount(m, n, "insert")
	verify(m, 0, n, true, "hits")
	verify(m, n, n+n/8+1, false, "misses")
}

// M1 (hint 0) and M1H: creation and n inserts timed.
func wlInsert(n, hint uint64) {
	start()
	m := newMap(hint)
	fill(m, 0, n)
	stop()
	addExtra("rss_end_kb=%d", rssAfterGC())
	checkInserted(m, n)
	c := mapCap(m)
	m = nil
	frozenPeak = peakKB()
	runtime.GC()
	grows := 0
	r := newMap(hint)
	last := mapCap(r)
	for i := uint64(0); i < n; i++ {
		r[key(i)] = i + 1
		cur := mapCap(r)
		if last > 0 && cur != last {
			grows++
		}
		last = cur
	}
	addExtra("grows=%d cap=%d", grows, c)
}

// M2: n lookups that hit, in stride order.
func wlHit(n, hint uint64) {
	m := newMap(hint)
	fill(m, 0, n)
	st := stride(n)
	var hits, sum uint64
	start()
	for i, j := uint64(0), uint64(0); i < n; i++ {
		if v, found := m[key(j)]; found {
			hits++
			sum += v
		}
		j += st
		if j >= n {
			j -= n
		}
	}
	stop()
	if hits != n || sum != n*(n+1)/2 {
		fail("%d hits, checksum %d, want %d and %d", hits, sum, n, n*(n+1)/2)
	}
	addExtra("hits=%d", hits)
}

// M3: n lookups of absent keys.
func wlMiss(n, hint uint64) {
	m := newMap(hint)
	fill(m, 0, n)
	var hits uint64
	start()
	for i := n; i < 2*n; i++ {
		if _, found := m[key(i)]; found {
			hits++
		}
	}
	stop()
	if hits != 0 {
		fail("%d of %d absent keys found", hits, n)
	}
	checkCount(m, n, "after misses")
	addExtra("misses=%d", n-hits)
}

// M4: delete all n keys in stride order; RSS along the way.
func wlDelete(n, hint uint64) {
	m := newMap(hint)
	rssEmpty := rssAfterGC()
	fill(m, 0, n)
	rssFull := rssAfterGC()
	st := stride(n)
	var dels uint64
	start()
	for i, j := uint64(0), uint64(0); i < n; i++ {
		before := len(m)
		delete(m, key(j))
		dels += uint64(before - len(m))
		j += st
		if j >= n {
			j -= n
		}
	}
	stop()
	rssDel := rssAfterGC()
	if dels != n {
		fail("%d of %d deletes found their key", dels, n)
	}
	checkCount(m, 0, "after deletes")
	verify(m, 0, n, false, "deleted")
	m = nil
	addExtra("deleted=%d rss_empty_kb=%d rss_full_kb=%d rss_del_kb=%d rss_destroy_kb=%d",
		dels, rssEmpty, rssFull, rssDel, rssAfterGC())
}

// M5: n steps, each inserting key s and deleting key s - window.
func wlChurn(n, hint uint64) {
	live := uint64(window)
	if n < live {
		live = n
	}
	var dels uint64
	var rss20 int64
	start()
	m := newMap(hint)
	for s := uint64(0); s < n; s++ {
		m[key(s)] = s + 1
		if s >= window {
			before := len(m)
			delete(m, key(s-window))
			dels += uint64(before - len(m))
		}
		if s == n/5 {
			rss20 = rssKB()
		}
	}
	stop()
	if dels != n-live {
		fail("%d of %d deletes found their key", dels, n-live)
	}
	checkCount(m, live, "window")
	verify(m, n-live, n, true, "window")
	k := n - live
	if k > window {
		k = window
	}
	verify(m, n-live-k, n-live, false, "expired")
	addExtra("deleted=%d rss_20pct_kb=%d rss_end_kb=%d", dels, rss20, rssKB())
}

// M6: n inserts into a fresh map with no hint, each timed alone between two
// time.Now() calls (vDSO reads of the wall and the monotonic clock); as
// workloads.h's wl_insert_each, with clock_ns the median cost of a pair.
func wlInsertEach(n, hint uint64) {
	lat := make([]uint32, n)
	var clk [1001]uint32
	for i := range clk {
		t := time.Now()
		clk[i] = uint32(time.Since(t))
	}
	sort.Slice(clk[:], func(a, b int) bool { return clk[a] < clk[b] })
	m := newMap(hint)
	start()
	for i := uint64(0); i < n; i++ {
		t := time.Now()
		m[key(i)] = i + 1
		d := time.Since(t)
		if d > math.MaxUint32 {
			d = math.MaxUint32
		}
		lat[i] = uint32(d)
	}
	stop()
	checkInserted(m, n)
	worstAt := 0
	for i := range lat {
		if lat[i] > lat[worstAt] {
			worstAt = i
		}
	}
	addExtra("worst_ns=%d worst_at=%d", lat[worstAt], worstAt)
	sort.Slice(lat, func(a, b int) bool { return lat[a] < lat[b] })
	addExtra("p9999_ns=%d clock_ns=%d", lat[(n*9999+9999)/10000-1], clk[500])
}

func main() {
	wls := map[string]struct {
		run  func(n, hint uint64)
		hint bool
		impl string
	}{
		"V1":  {wlPush, false, "go_slice"},
		"V2":  {wlPush, true, "go_slice"},
		"M1":  {wlInsert, false, "go_map"},
		"M1H": {wlInsert, true, "go_map"},
		"M2":  {wlHit, false, "go_map"},
		"M3":  {wlMiss, false, "go_map"},
		"M4":  {wlDelete, false, "go_map"},
		"M5":  {wlChurn, false, "go_map"},
		"M6":  {wlInsertEach, false, "go_map"},
	}
	var n uint64
	var err error
	wl, found := wls[""]
	if len(os.Args) == 3 {
		wl, found = wls[os.Args[1]]
		n, err = strconv.ParseUint(os.Args[2], 10, 64)
	}
	if !found || err != nil || n == 0 {
		fmt.Fprintf(os.Stderr, "usage: %s {V1|V2|M1|M1H|M2|M3|M4|M5|M6} N\n", os.Args[0])
		os.Exit(2)
	}
	hint := uint64(0)
	if wl.hint {
		hint = n
	}
	wl.run(n, hint)
	okn := 0
	if ok {
		okn = 1
	}
	fmt.Printf("wl=%s impl=%s n=%d ns_per_op=%.3f peak_rss_kb=%d minflt=%d ok=%d sys_ms=%.0f%s\n",
		os.Args[1], wl.impl, n, float64(t1.Sub(t0).Nanoseconds())/float64(n),
		peakKB(), flt1-flt0, okn, sys1-sys0, extra)
	if !ok {
		os.Exit(1)
	}
}
