#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Runs inside the VM (scripts/bench-kernel.sh boots it with scripts/vm-run.sh):
# load kvgrow.ko, then kvgrow_bench.ko with the parameters in /bench.args and
# the xarray node's size from its slab, and print the module's result lines.
insmod /kvgrow.ko || exit 1
node=$(cat /sys/kernel/slab/radix_tree_node/slab_size 2>/dev/null)
rc=0
# shellcheck disable=SC2046 # one word per parameter
insmod /kvgrow_bench.ko $(cat /bench.args) xa_node_size="${node:-0}" || rc=1
dmesg -s 4194304 | sed -n 's/^.*kvgbench: /kvgbench: /p'
[ $rc -ne 0 ] || rmmod kvgrow_bench || rc=1
exit $rc
