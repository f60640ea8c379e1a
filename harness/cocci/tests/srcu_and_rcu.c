// SPDX-License-Identifier: GPL-2.0
/* One callback for call_srcu() and call_rcu(): both converted, it goes. */
#include <linux/slab.h>
#include <linux/srcu.h>

DEFINE_STATIC_SRCU(notif_srcu);

struct notif {
	struct list_head list;
	struct rcu_head rcu;
};

static void notif_free_rcu(struct rcu_head *head)
{
	kfree(container_of(head, struct notif, rcu));
}

void notif_unregister(struct notif *n)
{
	list_del_rcu(&n->list);
	call_srcu(&notif_srcu, &n->rcu, notif_free_rcu);
}

void notif_unregister_fast(struct notif *n)
{
	list_del_rcu(&n->list);
	call_rcu(&n->rcu, notif_free_rcu);
}
