/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What both map engines do with keys and values (private to lib/): the
 * keyed hash, the key compare and the value copy, each specialised for a
 * constant key size, and the one dispatch that picks the specialisation;
 * and the SWAR helpers that match 8 control bytes (Go 1.19's tophash
 * bytes, the Swiss tables' control bytes) a word at a time.  One home for
 * each, used by lib/map.c, lib/swiss_*.c and lib/hmap*.c.
 */
#ifndef _KVGROW_MAP_KEY_H
#define _KVGROW_MAP_KEY_H

#include <linux/bitops.h>
#include <linux/kernel.h>
#include <linux/math64.h>
#include <linux/random.h>
#include <linux/siphash.h>
#include <linux/string.h>
#include <kvgrow/map.h>
#include <kvgrow/mix.h>

/*
 * The fast paths are these functions inlined with @ks, the key size, a
 * constant: 8 or 4 for the built-in hash and compare; KS_ANY otherwise.
 */
#define KS_ANY		0

static __always_inline unsigned int
key_size(const struct kvg_map *m, unsigned int ks)
{
	return ks ? ks : m->key_size;
}

/* Values of 8 bytes, the common case, are copied and cleared inline. */
static __always_inline void val_copy(const struct kvg_map *m, void *dst,
				     const void *src)
{
	if (m->val_size == sizeof(u64))
		memcpy(dst, src, sizeof(u64));
	else
		memcpy(dst, src, m->val_size);
}

static __always_inline void val_clear(const struct kvg_map *m, void *dst)
{
	if (m->val_size == sizeof(u64))
		memset(dst, 0, sizeof(u64));
	else
		memset(dst, 0, m->val_size);
}

/*
 * 8 bytes as one word, byte i in bits 8i..8i+7 (loaded little-endian),
 * so that 8 slots are matched in a few word operations.
 */
#define BYTES_01	0x0101010101010101ULL
#define BYTES_7F	0x7f7f7f7f7f7f7f7fULL
#define BYTES_FE	0xfefefefefefefefeULL
#define BYTES_80	0x8080808080808080ULL

/* 0x80 in exactly the bytes of @w that are 0 (no carries between bytes). */
static __always_inline u64 zero_bytes(u64 w)
{
	return ~(((w & BYTES_7F) + BYTES_7F) | w | BYTES_7F);
}

/* The slot of the lowest byte flagged in @mask (non-zero). */
static __always_inline unsigned int first_slot(u64 mask)
{
	return __ffs64(mask) / 8;
}

/*
 * 4- and 8-byte keys: Dietzfelbinger's multiply-add-shift,
 *
 *	h(x) = ((a * x + b) mod 2^128) div 2^64
 *
 * with a (the seed) and b (mix) 128-bit, drawn at random per map and again
 * by kvg_map_clear().  Over that draw the family is strongly universal:
 * for any two distinct keys the pair of 64-bit hashes is uniform, so every
 * bit, the bucket index and the tophash included, collides as random
 * hashing would.  Keys chosen without knowing a and b (the flooding a
 * remote sender can do) thus fill chains no faster than random keys.  It
 * is not a pseudo-random function: an attacker who can measure many
 * operations could learn about a and b.  KVG_MAP_HSIPHASH selects the
 * kernel's hsiphash for such maps, at about six times the cost (91
 * instructions per hash against 15).
 * Go's own integer hash without AES is a keyed multiply mix too.
 */
static __always_inline u64 mas_hash(const struct kvg_map *m, u64 x)
{
	u64 lo = m->seed.key[0] * x;
	u64 h = mul_u64_u64_shr(m->seed.key[0], x, 64) + m->seed.key[1] * x +
		m->mix[1] + (lo + m->mix[0] < lo);

	/*
	 * A fixed bijection (splitmix64's finalizer) keeps the pairs uniform
	 * and breaks the family's linearity: keys in arithmetic progression
	 * would otherwise land in evenly spaced buckets, far from how Go's
	 * random-looking hash fills them (KVG_MAP_GO_COMPAT reproduces Go).
	 */
	return kvg_mix64(h);
}

/*
 * The hash of any key, out of line (lib/map.c): the same value hash_k()
 * gives, for the paths not specialised by key size.
 */
u64 kvg_map_hash(const struct kvg_map *m, const void *key);

/*
 * The hash of a key: the ops' hash, mixed; mas_hash() for 4- and 8-byte
 * keys, the kernel's hsiphash (SipHash-1-3 on 64-bit, meant for hash
 * tables) for other sizes and with KVG_MAP_HSIPHASH, keyed by the map's
 * random seed.  hsiphash's
 * 32 bits serve both the bucket index (low bits) and the tophash (top
 * byte), so they are copied into both halves.
 */
static __always_inline u64 hash_k(const struct kvg_map *m, const void *key,
				  unsigned int ks)
{
	u64 k8;
	u32 k4;

	if (ks == sizeof(k8)) {
		memcpy(&k8, key, sizeof(k8));
		return mas_hash(m, k8);
	}
	if (ks == sizeof(k4)) {
		memcpy(&k4, key, sizeof(k4));
		return mas_hash(m, k4);
	}
	return kvg_map_hash(m, key);
}

static __always_inline bool key_eq_k(const struct kvg_map *m, const void *a,
				     const void *b, unsigned int ks)
{
	u64 a8, b8;
	u32 a4, b4;

	if (ks == sizeof(a8)) {
		memcpy(&a8, a, sizeof(a8));
		memcpy(&b8, b, sizeof(b8));
		return a8 == b8;
	}
	if (ks == sizeof(a4)) {
		memcpy(&a4, a, sizeof(a4));
		memcpy(&b4, b, sizeof(b4));
		return a4 == b4;
	}
	if (m->ops)
		return m->ops->equal(a, b);
	return !memcmp(a, b, m->key_size);
}

/*
 * The constant key size to specialise @m's operations for: 8 or 4 for the
 * built-in multiply-add-shift hash, else KS_ANY.
 */
static __always_inline unsigned int fast_ks(const struct kvg_map *m)
{
	if (m->ops || m->flags & KVG_MAP_HSIPHASH)
		return KS_ANY;
	if (m->key_size == sizeof(u64))
		return sizeof(u64);
	if (m->key_size == sizeof(u32))
		return sizeof(u32);
	return KS_ANY;
}

/*
 * The operations of an engine's one key-size dispatch.  Two are one
 * engine's own, and pass what they work on as @key: ENGINE_EVACUATE, Go
 * 1.19's, evacuates the old bucket whose index is at @key; ENGINE_MOVE,
 * the Swiss tables', moves the entries of a table as struct swiss_move at
 * @key says.
 */
enum engine_op {
	ENGINE_GET, ENGINE_ASSIGN, ENGINE_DELETE, ENGINE_EVACUATE, ENGINE_MOVE,
};

/*
 * The one key-size dispatch, for both engines.  An engine writes
 *
 *	static __always_inline int NAME_ks(struct kvg_map *m, enum engine_op op,
 *					   const void *key, void **val,
 *					   unsigned long ip, unsigned int ks);
 *
 * with @ks a constant in mind (KS_ANY, 4 or 8), and DEFINE_MAP_OP(NAME)
 * defines NAME(m, op, key, val, ip): NAME_ks() inlined in the caller for
 * u64 keys, where no call is made unless a structural change is needed,
 * and out of line for u32 keys and any other key (custom ops,
 * KVG_MAP_HSIPHASH, other sizes).  With @op a constant, only its case is
 * inlined: NAME(m, ENGINE_EVACUATE, ...) in a cold function specialises
 * evacuation as the hot operations are.
 */
#define DEFINE_MAP_OP(name)						\
static noinline int name##_other(struct kvg_map *m, enum engine_op op,	\
				 const void *key, void **val,		\
				 unsigned long ip)			\
{									\
	if (fast_ks(m) == sizeof(u32))					\
		return name##_ks(m, op, key, val, ip, sizeof(u32));	\
	return name##_ks(m, op, key, val, ip, KS_ANY);			\
}									\
									\
static __always_inline int name(struct kvg_map *m, enum engine_op op,	\
				const void *key, void **val,		\
				unsigned long ip)			\
{									\
	if (likely(fast_ks(m) == sizeof(u64)))				\
		return name##_ks(m, op, key, val, ip, sizeof(u64));	\
	return name##_other(m, op, key, val, ip);			\
}

/*
 * A new random key for the hash (a and b above), as a new map gets one
 * and as Go's mapclear draws one for an emptied map.
 */
static inline void map_reseed(struct kvg_map *m)
{
	get_random_bytes(&m->seed, sizeof(m->seed));
	get_random_bytes(m->mix, sizeof(m->mix));
}

#endif /* _KVGROW_MAP_KEY_H */
