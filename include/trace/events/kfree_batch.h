/* SPDX-License-Identifier: GPL-2.0 */
#undef TRACE_SYSTEM
#define TRACE_SYSTEM kfree_batch

#if !defined(_TRACE_KFREE_BATCH_H) || defined(TRACE_HEADER_MULTI_READ)
#define _TRACE_KFREE_BATCH_H

#include <linux/tracepoint.h>

DECLARE_EVENT_CLASS(kfree_batch_batch,
		    TP_PROTO(const char *client, const char *cache, unsigned int nr),
		    TP_ARGS(client, cache, nr),
		    TP_STRUCT__entry(__string(client, client)
				     __string(cache, cache)
				     __field(unsigned int, nr)),
		    TP_fast_assign(__assign_str(client);
				   __assign_str(cache);
				   __entry->nr = nr;),
		    TP_printk("client=%s cache=%s nr=%u",
			      __get_str(client), __get_str(cache), __entry->nr)
);

/* A batch got its grace-period cookie: full, timed out or flushed. */
DEFINE_EVENT(kfree_batch_batch, kfree_batch_seal,
	     TP_PROTO(const char *client, const char *cache, unsigned int nr),
	     TP_ARGS(client, cache, nr)
);

/* A batch was handed back to its allocator after its grace period. */
DEFINE_EVENT(kfree_batch_batch, kfree_batch_release,
	     TP_PROTO(const char *client, const char *cache, unsigned int nr),
	     TP_ARGS(client, cache, nr)
);

/* An object went to a fallback list: no batch storage could be had. */
TRACE_EVENT(kfree_batch_fallback,
	    TP_PROTO(const char *client, const void *ptr),
	    TP_ARGS(client, ptr),
	    TP_STRUCT__entry(__string(client, client)
			     __field(const void *, ptr)),
	    TP_fast_assign(__assign_str(client);
			   __entry->ptr = ptr;),
	    TP_printk("client=%s ptr=%p", __get_str(client), __entry->ptr)
);

#endif /* _TRACE_KFREE_BATCH_H */

/* This part must be outside protection */
#include <trace/define_trace.h>
