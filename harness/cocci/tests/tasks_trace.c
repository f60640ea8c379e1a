// SPDX-License-Identifier: GPL-2.0
/*
 * call_rcu_tasks_trace() becomes kfree_rcu_tasks_trace(); the callback
 * is also called directly, so it stays.
 */
#include <linux/rcupdate_trace.h>
#include <linux/slab.h>

struct prog_arr {
	int nr;
	struct rcu_head rcu;
};

static void prog_arr_free_cb(struct rcu_head *rcu)
{
	struct prog_arr *a;

	a = container_of(rcu, struct prog_arr, rcu);
	kfree(a);
}

void prog_arr_free_sleepable(struct prog_arr *a)
{
	call_rcu_tasks_trace(&a->rcu, prog_arr_free_cb);
}

void prog_arr_free_now(struct prog_arr *a)
{
	prog_arr_free_cb(&a->rcu);
}
