// SPDX-License-Identifier: GPL-2.0
/* Negative: the pointer's type is not the type the callback frees. */
#include <linux/slab.h>
#include <linux/rcupdate.h>

struct hdr_v1 {
	struct rcu_head rcu;
	int a;
};

struct hdr_v2 {
	long b;
	struct rcu_head rcu;
};

static void hdr_free_rcu(struct rcu_head *head)
{
	kfree(container_of(head, struct hdr_v1, rcu));
}

void hdr_v2_put(struct hdr_v2 *h)
{
	call_rcu(&h->rcu, hdr_free_rcu);
}
