/*
 * i18n.c - _() with a memory (i18n.h says why).
 *
 * A small direct-mapped table per thread, keyed by the msgid's address;
 * an entry counts only while its generation is the current one, so
 * sales_i18n_changed() forgets every thread's entries at once.
 */
#include "i18n.h"

#include <stdatomic.h>
#include <stdint.h>

#define MEMO_SLOTS 512   /* a power of two */

struct memo {
	const char *msgid, *text;
	unsigned gen;
};

static atomic_uint generation = 1;
static _Thread_local struct memo memo[MEMO_SLOTS];

const char *sales_gettext(const char *msgid)
{
	uintptr_t h = (uintptr_t)msgid;
	struct memo *m;
	unsigned gen = atomic_load_explicit(&generation, memory_order_relaxed);

	h ^= h >> 9;
	m = &memo[(h ^ (h >> 18)) & (MEMO_SLOTS - 1)];
	if (m->msgid == msgid && m->gen == gen)
		return m->text;
	m->text = dgettext(SALES_TEXTDOMAIN, msgid);
	m->msgid = msgid;
	m->gen = gen;
	return m->text;
}

void sales_i18n_changed(void)
{
	atomic_fetch_add_explicit(&generation, 1, memory_order_relaxed);
}
