// SPDX-License-Identifier: GPL-2.0
/* kfree and kvfree callbacks converted in the same function. */
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/rcupdate.h>

struct nh_grp {
	int num_nh;
	struct rcu_head rcu;
};

struct nh_res_table {
	u32 num_buckets;
	struct rcu_head rcu;
	struct nh_res_bucket buckets[];
};

static void nh_grp_free_rcu(struct rcu_head *head)
{
	kfree(container_of(head, struct nh_grp, rcu));
}

static void nh_res_table_free_rcu(struct rcu_head *head)
{
	kvfree(container_of(head, struct nh_res_table, rcu));
}

void nh_grp_destroy(struct nh_grp *nhg, struct nh_res_table *res_table)
{
	call_rcu(&nhg->rcu, nh_grp_free_rcu);
	call_rcu(&res_table->rcu, nh_res_table_free_rcu);
}
