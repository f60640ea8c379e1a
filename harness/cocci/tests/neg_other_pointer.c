// SPDX-License-Identifier: GPL-2.0
/* Negative: the callback frees a member, not the enclosing object. */
#include <linux/slab.h>
#include <linux/rcupdate.h>

struct blob_ref {
	void *data;
	struct rcu_head rcu;
};

static void blob_ref_free_data(struct rcu_head *head)
{
	struct blob_ref *br = container_of(head, struct blob_ref, rcu);

	kfree(br->data);
}

static void blob_ref_free_inline(struct rcu_head *head)
{
	kfree(container_of(head, struct blob_ref, rcu)->data);
}

void blob_ref_clear(struct blob_ref *br, bool inline_free)
{
	if (inline_free)
		call_rcu(&br->rcu, blob_ref_free_inline);
	else
		call_rcu(&br->rcu, blob_ref_free_data);
}
