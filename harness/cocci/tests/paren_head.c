// SPDX-License-Identifier: GPL-2.0
/* Positive: &(ptr->field) is the same head as &ptr->field. */
#include <linux/slab.h>
#include <linux/rcupdate.h>

struct kobj_rec {
	int nr;
	struct rcu_head rh;
};

static void kobj_rec_free(struct rcu_head *rh)
{
	struct kobj_rec *obj = container_of(rh, struct kobj_rec, rh);

	kfree(obj);
}

void kobj_rec_release(struct kobj_rec *alloc_ptr)
{
	call_rcu(&(alloc_ptr->rh), kobj_rec_free);
}
