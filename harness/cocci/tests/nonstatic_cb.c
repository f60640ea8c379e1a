// SPDX-License-Identifier: GPL-2.0
/* Positive: non-static callback; the call is converted, the callback stays. */
#include <linux/slab.h>
#include <linux/rcupdate.h>

struct peer_addr {
	struct list_head list;
	struct sockaddr_storage addr;
	struct rcu_head rcu;
};

void peer_addr_free_rcu(struct rcu_head *head)
{
	kfree(container_of(head, struct peer_addr, rcu));
}

void peer_addr_remove(struct peer_addr *pa)
{
	list_del_rcu(&pa->list);
	call_rcu(&pa->rcu, peer_addr_free_rcu);
}
