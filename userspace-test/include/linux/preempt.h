/* SPDX-License-Identifier: GPL-2.0 */
/* Userspace shim: no preemption to turn off; still a compiler barrier. */
#ifndef _SHIM_LINUX_PREEMPT_H
#define _SHIM_LINUX_PREEMPT_H

#define preempt_disable()	__asm__ __volatile__("" ::: "memory")
#define preempt_enable()	__asm__ __volatile__("" ::: "memory")

#endif
