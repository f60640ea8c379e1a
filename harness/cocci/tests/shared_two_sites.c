// SPDX-License-Identifier: GPL-2.0
/* Positive: one callback, two call sites: both converted, callback removed. */
#include <linux/slab.h>
#include <linux/rcupdate.h>

struct fo_ctx {
	u8 key[16];
	struct rcu_head rcu;
};

static void fo_ctx_free(struct rcu_head *head)
{
	struct fo_ctx *ctx = container_of(head, struct fo_ctx, rcu);

	kfree(ctx);
}

void fo_ctx_replace(struct fo_ctx __rcu **slot, struct fo_ctx *new)
{
	struct fo_ctx *old = rcu_replace_pointer(*slot, new, true);

	if (old)
		call_rcu(&old->rcu, fo_ctx_free);
}

void fo_ctx_destroy(struct fo_ctx __rcu **slot)
{
	struct fo_ctx *ctx = rcu_replace_pointer(*slot, NULL, true);

	if (ctx)
		call_rcu(&ctx->rcu, fo_ctx_free);
}
