// SPDX-License-Identifier: GPL-2.0
/* Negative: the callback drops a reference. */
#include <linux/slab.h>
#include <linux/netdevice.h>
#include <linux/rcupdate.h>

struct vport_x {
	struct net_device *dev;
	struct rcu_head rcu;
};

static void vport_x_free_rcu(struct rcu_head *head)
{
	struct vport_x *v = container_of(head, struct vport_x, rcu);

	dev_put(v->dev);
	kfree(v);
}

void vport_x_detach(struct vport_x *v)
{
	call_rcu(&v->rcu, vport_x_free_rcu);
}
