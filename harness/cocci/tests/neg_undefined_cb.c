// SPDX-License-Identifier: GPL-2.0
/* Negative: the callback is defined in another file. */
#include <linux/slab.h>
#include <linux/rcupdate.h>

struct ext_obj {
	int id;
	struct rcu_head rcu;
};

void ext_obj_free_rcu(struct rcu_head *head);

void ext_obj_put(struct ext_obj *eo)
{
	call_rcu(&eo->rcu, ext_obj_free_rcu);
}
