// SPDX-License-Identifier: GPL-2.0
/* Positive: declaration and container_of() assignment are split. */
#include <linux/slab.h>
#include <linux/rcupdate.h>

struct sess_key {
	u8 data[32];
	struct rcu_head rcu;
};

static void sess_key_free(struct rcu_head *rcu)
{
	struct sess_key *key;

	key = container_of(rcu, struct sess_key, rcu);
	kfree(key);
}

void sess_key_drop(struct sess_key *key)
{
	call_rcu(&key->rcu, sess_key_free);
}
