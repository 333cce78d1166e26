// SPDX-License-Identifier: GPL-2.0
/*
 * How another module uses kvgrow: a vector of u64 grown by the default
 * policy, registered so that /sys/kernel/debug/kvgrow/vectors shows it.
 */
#include <linux/module.h>
#include <linux/slab.h>
#include <kvgrow/registry.h>
#include <kvgrow/vec.h>

DECLARE_KVG_VEC(kvg_vec_u64, u64);

static union kvg_vec_u64 example;

static int __init kvgrow_example_init(void)
{
	u64 i;
	int err;

	err = kvg_vec_init(&example, GFP_KERNEL);
	for (i = 0; !err && i < 1000; i++)
		err = kvg_vec_push(&example, i * i);
	if (!err)
		err = kvg_register_vec(&example.raw, "example");
	if (err)
		kvg_vec_free(&example);
	return err;
}

static void __exit kvgrow_example_exit(void)
{
	kvg_unregister_vec(&example.raw);
	kvg_vec_free(&example);
}

module_init(kvgrow_example_init);
module_exit(kvgrow_example_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("kvgrow example: a registered, growing vector");
