/* cache.c — the cache behind every read.
 *
 * Owns: key -> entry (an immutable refcounted GBytes, or a remembered -errno), TTLs, the
 * LRU bound, single flight and the generation guard. Readers take a reference under the
 * lock and read without it. It must not know about HTTP, JSON or FUSE: what a mutation makes
 * stale is the API layer's business.
 *
 * Locking: one GMutex guards everything below; it is never held while fetching. Each
 * in-flight fetch has a Flight with its own GCond, on which the callers that missed the
 * same key wait (single flight).
 *
 * Generation rule (per key): invalidations are numbered. A fetch takes a ticket (the number
 * so far) before it goes to the network; an invalidation of a key (or of a prefix of it)
 * numbered after the ticket voids that fetch's stores of that key: the result is handed to
 * the callers already waiting for it but not stored, so a GET racing a mutation can never
 * put the old state back (sshfs's write counter). Only the keys invalidated matter: a
 * listing that stores 10,000 objects loses the store of the one desktop acted on during its
 * flight, not the other 9,999. Each invalidation is remembered as a Mark for as long as a
 * ticket older than it is held (marks by key and by prefix, oldest first); with no fetch in
 * flight nothing is remembered, so the table stays as small as the fetches in flight. A
 * caller that misses after an invalidation does not join a flight that started before it:
 * the flight is unlisted and the caller fetches anew.
 *
 * Staleness rule: expired and invalidated entries keep their value (until evicted) so that
 * a failed refresh can serve the last good value (stale_on_error). Invalidation only marks
 * an entry stale (never fresh again); only a successful fetch replaces the value, only a
 * -ENOENT removes it, and only cache_forget drops it outright. A failed refresh of a value
 * is remembered on the entry for error_ttl, and a caller that knows the source is down
 * (source_down) is answered from the stale value without fetching at all: one user-visible
 * operation waits for a dead network once, not once per FUSE step.
 *
 * A fetch that failed with -EINTR (its caller was interrupted) or -ECANCELED (shutdown) is
 * never remembered and never answered with a stale value, and callers that waited for an
 * interrupted fetch fetch again themselves.
 */
#include "cache/cache.h"

#include <errno.h>
#include <string.h>

#define ENTRY_OVERHEAD 96	/* bytes per entry beyond key and value, for the bound */

typedef struct {
	char *key;
	GBytes *value;		/* NULL for a negative entry */
	int error;		/* -errno of a negative entry */
	gint64 stored_us;
	gint64 expires_us;	/* G_MININT64 once invalidated */
	gint64 failed_until_us;	/* a value's refresh failed: until then, do not ask again */
	int failed_error;	/* that refresh's -errno */
	gsize bytes;
	GList link;		/* in lru; data = this entry */
} CacheEntry;

/* An invalidation, remembered while a fetch that started before it is in flight. */
typedef struct {
	char *key;		/* the key or prefix invalidated */
	gboolean prefix;
	guint64 seq;		/* its number */
	GList link;		/* in marks, oldest first; data = this mark */
} Mark;

/* The fetches in flight that took their ticket at seq. */
typedef struct {
	guint64 seq;
	guint count;
} Tickets;

typedef struct {
	GCond cond;
	gboolean done;
	int rc;
	GBytes *value;
	CacheInfo info;
	guint waiters;
} Flight;

struct Cache {
	CacheClock clock;
	gpointer clock_data;
	gsize max_bytes;
	GMutex lock;
	GHashTable *entries;	/* key -> CacheEntry*; guarded by lock */
	GHashTable *flights;	/* key -> Flight*; guarded by lock */
	GQueue lru;		/* least recently used first; guarded by lock */
	guint64 seq;		/* invalidations so far; guarded by lock */
	GHashTable *key_marks;	/* key -> Mark*, the last invalidation of it; lock */
	GHashTable *prefix_marks; /* prefix -> Mark*; guarded by lock */
	GQueue marks;		/* every Mark, by seq; guarded by lock */
	GQueue tickets;		/* Tickets*, by seq; guarded by lock */
	CacheStats stats;	/* guarded by lock */
};

static gint64 default_clock(gpointer user_data)
{
	return g_get_monotonic_time();
}

static void entry_free(gpointer p)
{
	CacheEntry *e = p;

	g_clear_pointer(&e->value, g_bytes_unref);
	g_free(e->key);
	g_free(e);
}

/* Called with the lock held (or from cache_free). */
static void drop_mark(Cache *cache, Mark *m)
{
	g_hash_table_remove(m->prefix ? cache->prefix_marks : cache->key_marks, m->key);
	g_queue_unlink(&cache->marks, &m->link);
	g_free(m->key);
	g_free(m);
}

/* Called with the lock held: forgets the marks no ticket in flight is older than. */
static void prune_marks(Cache *cache)
{
	Tickets *oldest = g_queue_peek_head(&cache->tickets);

	while (cache->marks.head) {
		Mark *m = cache->marks.head->data;

		if (oldest && m->seq > oldest->seq)
			break;
		drop_mark(cache, m);
	}
	cache->stats.marks = g_queue_get_length(&cache->marks);
}

/* Called with the lock held: numbers an invalidation of key (or of every key under it), and
 * remembers it while a fetch that started before it is in flight. */
static void mark(Cache *cache, const char *key, gboolean prefix)
{
	GHashTable *table = prefix ? cache->prefix_marks : cache->key_marks;
	Mark *m;

	cache->seq++;
	if (!cache->tickets.head)
		return;		/* nothing in flight can be voided */
	m = g_hash_table_lookup(table, key);
	if (m) {
		g_queue_unlink(&cache->marks, &m->link);
	} else {
		m = g_new0(Mark, 1);
		m->key = g_strdup(key);
		m->prefix = prefix;
		m->link.data = m;
		g_hash_table_insert(table, m->key, m);
	}
	m->seq = cache->seq;
	g_queue_push_tail_link(&cache->marks, &m->link);
	cache->stats.marks = g_queue_get_length(&cache->marks);
}

/* Called with the lock held: whether key was invalidated after ticket was taken. */
static gboolean voided(Cache *cache, const char *key, CacheTicket ticket)
{
	GHashTableIter it;
	gpointer k, v;
	Mark *m;

	if (ticket == cache->seq)
		return FALSE;
	m = g_hash_table_lookup(cache->key_marks, key);
	if (m && m->seq > ticket)
		return TRUE;
	g_hash_table_iter_init(&it, cache->prefix_marks);
	while (g_hash_table_iter_next(&it, &k, &v)) {
		m = v;
		if (m->seq > ticket && g_str_has_prefix(key, k))
			return TRUE;
	}
	return FALSE;
}

/* Called with the lock held. */
static CacheTicket take_ticket(Cache *cache)
{
	Tickets *t = g_queue_peek_tail(&cache->tickets);

	if (!t || t->seq != cache->seq) {
		t = g_new0(Tickets, 1);
		t->seq = cache->seq;
		g_queue_push_tail(&cache->tickets, t);
	}
	t->count++;
	return t->seq;
}

/* Called with the lock held. */
static void release_ticket(Cache *cache, CacheTicket ticket)
{
	for (GList *l = cache->tickets.head; l; l = l->next) {
		Tickets *t = l->data;

		if (t->seq != ticket)
			continue;
		if (--t->count == 0) {
			g_queue_delete_link(&cache->tickets, l);
			g_free(t);
			prune_marks(cache);
		}
		return;
	}
	g_warn_if_reached();	/* a ticket released twice, or never taken */
}

CacheTicket cache_ticket_take(Cache *cache)
{
	g_autoptr(GMutexLocker) locker = g_mutex_locker_new(&cache->lock);

	return take_ticket(cache);
}

void cache_ticket_release(Cache *cache, CacheTicket ticket)
{
	g_autoptr(GMutexLocker) locker = g_mutex_locker_new(&cache->lock);

	release_ticket(cache, ticket);
}

Cache *cache_new(const CacheConfig *config)
{
	Cache *cache = g_new0(Cache, 1);

	cache->clock = config && config->clock ? config->clock : default_clock;
	cache->clock_data = config ? config->clock_data : NULL;
	cache->max_bytes = config ? config->max_bytes : 0;
	g_mutex_init(&cache->lock);
	cache->entries = g_hash_table_new_full(g_str_hash, g_str_equal, NULL, entry_free);
	cache->flights = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	g_queue_init(&cache->lru);
	cache->key_marks = g_hash_table_new(g_str_hash, g_str_equal);
	cache->prefix_marks = g_hash_table_new(g_str_hash, g_str_equal);
	g_queue_init(&cache->marks);
	g_queue_init(&cache->tickets);
	return cache;
}

void cache_free(Cache *cache)
{
	if (!cache)
		return;
	g_hash_table_destroy(cache->flights);
	g_hash_table_destroy(cache->entries);
	while (cache->marks.head)
		drop_mark(cache, cache->marks.head->data);
	g_hash_table_destroy(cache->key_marks);
	g_hash_table_destroy(cache->prefix_marks);
	g_queue_clear_full(&cache->tickets, g_free);
	g_mutex_clear(&cache->lock);
	g_free(cache);
}

gint64 cache_now(Cache *cache)
{
	return cache->clock(cache->clock_data);
}

/* Called with the lock held. */
static void remove_entry(Cache *cache, CacheEntry *e)
{
	g_queue_unlink(&cache->lru, &e->link);
	cache->stats.bytes -= e->bytes;
	g_hash_table_remove(cache->entries, e->key);
}

/* Called with the lock held. */
static void evict(Cache *cache)
{
	while (cache->max_bytes && cache->stats.bytes > cache->max_bytes && cache->lru.head) {
		remove_entry(cache, cache->lru.head->data);
		cache->stats.evictions++;
	}
}

/* Called with the lock held. */
static void put_entry(Cache *cache, const char *key, GBytes *value, int error, gint64 since,
		      gint64 ttl_us)
{
	CacheEntry *e = g_hash_table_lookup(cache->entries, key);
	GBytes *was = NULL;

	/* A key stored again (every refresh of every object) keeps its entry and key: a
	 * long-lived allocation made at each refresh would land among the parse's garbage and
	 * pin its pages (the soak's RSS crept up while the heap in use stayed flat). */
	if (e) {
		g_queue_unlink(&cache->lru, &e->link);
		cache->stats.bytes -= e->bytes;
		was = e->value;
	} else {
		e = g_new0(CacheEntry, 1);
		e->key = g_strdup(key);
		e->link.data = e;
		g_hash_table_insert(cache->entries, e->key, e);
	}
	/* A value equal to the stored one (an object unchanged since its last refresh) keeps
	 * the stored one: the equal copy, among the fetch's garbage, is the one let go. */
	if (was && value && was != value && g_bytes_equal(was, value))
		value = was;
	e->value = value ? g_bytes_ref(value) : NULL;
	if (was)
		g_bytes_unref(was);
	e->failed_until_us = 0;
	e->failed_error = 0;
	e->error = error;
	e->stored_us = since;
	e->expires_us = since + ttl_us;
	e->bytes = strlen(key) + (value ? g_bytes_get_size(value) : 0) + ENTRY_OVERHEAD;
	g_queue_push_tail_link(&cache->lru, &e->link);
	cache->stats.bytes += e->bytes;
	cache->stats.stores++;
	evict(cache);
}

/* Called with the lock held: a fresh entry, touched as recently used, or NULL. */
static CacheEntry *fresh_entry(Cache *cache, const char *key, gint64 now)
{
	CacheEntry *e = g_hash_table_lookup(cache->entries, key);

	if (!e || now >= e->expires_us)
		return NULL;
	g_queue_unlink(&cache->lru, &e->link);
	g_queue_push_tail_link(&cache->lru, &e->link);
	return e;
}

GBytes *cache_lookup(Cache *cache, const char *key, gint64 *ret_stored_us)
{
	gint64 now = cache_now(cache);
	g_autoptr(GMutexLocker) locker = g_mutex_locker_new(&cache->lock);
	CacheEntry *e = fresh_entry(cache, key, now);

	if (!e || !e->value) {
		cache->stats.misses++;
		return NULL;
	}
	cache->stats.hits++;
	if (ret_stored_us)
		*ret_stored_us = e->stored_us;
	return g_bytes_ref(e->value);
}

GBytes *cache_peek(Cache *cache, const char *key)
{
	g_autoptr(GMutexLocker) locker = g_mutex_locker_new(&cache->lock);
	CacheEntry *e = g_hash_table_lookup(cache->entries, key);

	return e && e->value ? g_bytes_ref(e->value) : NULL;
}

CacheState cache_state(Cache *cache, const char *key, gint64 *ret_stored_us)
{
	gint64 now = cache_now(cache);
	g_autoptr(GMutexLocker) locker = g_mutex_locker_new(&cache->lock);
	CacheEntry *e = g_hash_table_lookup(cache->entries, key);

	if (!e || !e->value)
		return CACHE_ABSENT;
	if (ret_stored_us)
		*ret_stored_us = e->stored_us;
	if (e->expires_us == G_MININT64)
		return CACHE_INVALIDATED;
	return now < e->expires_us ? CACHE_FRESH : CACHE_EXPIRED;
}

gboolean cache_store(Cache *cache, const char *key, GBytes *value, gint64 since_us,
		     gint64 ttl_us, CacheTicket ticket)
{
	gint64 now = cache_now(cache);
	g_autoptr(GMutexLocker) locker = g_mutex_locker_new(&cache->lock);

	if (voided(cache, key, ticket)) {
		cache->stats.refused++;
		return FALSE;
	}
	if (since_us <= 0 || since_us > now)
		since_us = now;
	if (ttl_us > 0 && since_us + ttl_us > now)
		put_entry(cache, key, value, 0, since_us, ttl_us);
	return TRUE;
}

static void flight_unref(Cache *cache, Flight *f)
{
	/* Called with the lock held; the last one out frees. */
	if (--f->waiters > 0)
		return;
	g_clear_pointer(&f->value, g_bytes_unref);
	g_cond_clear(&f->cond);
	g_free(f);
}

static int answer(Flight *f, GBytes **ret_value, CacheInfo *ret_info)
{
	if (f->rc == 0)
		*ret_value = g_bytes_ref(f->value);
	if (ret_info)
		*ret_info = f->info;
	return f->rc;
}

/* Called with the lock held: answers from e's value without fetching when its refresh
 * failed a moment ago or the caller knows the source is down. TRUE when it answered
 * (*ret_rc is the answer), FALSE when a fetch is needed. */
static gboolean answer_without_fetch(Cache *cache, CacheEntry *e, const CacheGetOptions *o,
				     gint64 now, GBytes **ret_value, CacheInfo *ret_info,
				     int *ret_rc)
{
	int error;

	if (!e || !e->value)
		return FALSE;
	if (now < e->failed_until_us)
		error = e->failed_error;
	else if (o->source_down < 0 && o->stale_on_error)
		error = o->source_down;
	else
		return FALSE;
	if (!o->stale_on_error) {
		*ret_rc = error;
		return TRUE;
	}
	cache->stats.stale++;
	*ret_value = g_bytes_ref(e->value);
	if (ret_info)
		*ret_info = (CacheInfo){ e->stored_us, TRUE, error, e->expires_us };
	*ret_rc = 0;
	return TRUE;
}

/* Called with the lock held, after a fetch of key with ticket failed with rc (< 0): what
 * the failure changes, and what the flight answers. */
static void fetch_failed(Cache *cache, const char *key, const CacheGetOptions *o,
			 CacheTicket ticket, gint64 now, int rc, Flight *f)
{
	CacheEntry *old = g_hash_table_lookup(cache->entries, key);
	gboolean current = !voided(cache, key, ticket);

	/* An interrupted or cancelled fetch says nothing about the key. */
	if (rc == -EINTR || rc == -ECANCELED)
		return;
	if (rc == -ENOENT) {
		/* The only answer that removes a value: the object is gone. */
		if (old)
			remove_entry(cache, old);
		if (o->negative_ttl_us > 0 && current)
			put_entry(cache, key, NULL, rc, now, o->negative_ttl_us);
		return;
	}
	if (old && old->value) {
		if (o->error_ttl_us > 0 && current) {
			old->failed_until_us = now + o->error_ttl_us;
			old->failed_error = rc;
		}
		if (o->stale_on_error) {
			f->rc = 0;
			f->value = g_bytes_ref(old->value);
			f->info = (CacheInfo){ old->stored_us, TRUE, rc, old->expires_us };
			cache->stats.stale++;
		}
		return;
	}
	if (o->error_ttl_us > 0 && current)
		put_entry(cache, key, NULL, rc, now, o->error_ttl_us);
}

int cache_get(Cache *cache, const char *key, CacheFetchFunc fetch, gpointer fetch_data,
	      const CacheGetOptions *options, GBytes **ret_value, CacheInfo *ret_info)
{
	static const CacheGetOptions defaults = { 0 };
	const CacheGetOptions *o = options ? options : &defaults;
	gint64 now = cache_now(cache);
	GBytes *value = NULL;
	gint64 ttl_us = 0;
	CacheTicket ticket;
	CacheEntry *e;
	Flight *f;
	int rc;

again:
	g_mutex_lock(&cache->lock);
	now = cache_now(cache);
	e = fresh_entry(cache, key, now);
	if (e) {
		cache->stats.hits++;
		rc = e->error;
		if (rc == 0) {
			*ret_value = g_bytes_ref(e->value);
			if (ret_info)
				*ret_info = (CacheInfo){ e->stored_us, FALSE, 0, e->expires_us };
		}
		g_mutex_unlock(&cache->lock);
		return rc;
	}
	cache->stats.misses++;
	if (answer_without_fetch(cache, g_hash_table_lookup(cache->entries, key), o, now,
				 ret_value, ret_info, &rc)) {
		g_mutex_unlock(&cache->lock);
		return rc;
	}

	f = g_hash_table_lookup(cache->flights, key);
	if (f) {
		/* Someone is fetching this key: share their answer. */
		cache->stats.coalesced++;
		f->waiters++;
		while (!f->done)
			g_cond_wait(&f->cond, &cache->lock);
		rc = answer(f, ret_value, ret_info);
		flight_unref(cache, f);
		g_mutex_unlock(&cache->lock);
		/* The fetcher's caller was interrupted, not this one: fetch for ourselves. */
		if (rc == -EINTR)
			goto again;
		return rc;
	}
	f = g_new0(Flight, 1);
	g_cond_init(&f->cond);
	f->waiters = 1;
	g_hash_table_insert(cache->flights, g_strdup(key), f);
	ticket = take_ticket(cache);
	g_mutex_unlock(&cache->lock);

	rc = fetch(fetch_data, &value, &ttl_us);

	g_mutex_lock(&cache->lock);
	now = cache_now(cache);
	/* An invalidation since may have unlisted this flight (and another may be listed). */
	if (g_hash_table_lookup(cache->flights, key) == f)
		g_hash_table_remove(cache->flights, key);
	f->rc = rc;
	if (rc == 0) {
		f->value = value;
		f->info = (CacheInfo){ now, FALSE, 0, now };
		/* A refused store leaves the old value where it was: stale, never fresh. */
		if (voided(cache, key, ticket)) {
			cache->stats.refused++;
		} else if (ttl_us > 0) {
			put_entry(cache, key, value, 0, now, ttl_us);
			f->info.expires_us = now + ttl_us;
		}
	} else {
		fetch_failed(cache, key, o, ticket, now, rc, f);
	}
	release_ticket(cache, ticket);
	f->done = TRUE;
	g_cond_broadcast(&f->cond);
	rc = answer(f, ret_value, ret_info);
	flight_unref(cache, f);
	g_mutex_unlock(&cache->lock);
	return rc;
}

/* Called with the lock held. A value becomes stale for good (until replaced); a remembered
 * failure has nothing to serve and goes. */
static void mark_stale(Cache *cache, CacheEntry *e, gboolean drop)
{
	if (drop || !e->value) {
		remove_entry(cache, e);
		return;
	}
	e->expires_us = G_MININT64;
	e->failed_until_us = 0;
}

/* Called with the lock held: the flights of key (or under prefix) started before this
 * invalidation keep their callers, but no caller that comes later joins them. */
static void unlist_flights(Cache *cache, const char *key, gboolean prefix)
{
	GHashTableIter it;
	gpointer k;

	if (!prefix) {
		g_hash_table_remove(cache->flights, key);
		return;
	}
	g_hash_table_iter_init(&it, cache->flights);
	while (g_hash_table_iter_next(&it, &k, NULL))
		if (g_str_has_prefix(k, key))
			g_hash_table_iter_remove(&it);
}

static void invalidate(Cache *cache, const char *key, gboolean drop)
{
	g_autoptr(GMutexLocker) locker = g_mutex_locker_new(&cache->lock);
	CacheEntry *e = g_hash_table_lookup(cache->entries, key);

	mark(cache, key, FALSE);
	unlist_flights(cache, key, FALSE);
	if (e)
		mark_stale(cache, e, drop);
}

static void invalidate_prefix(Cache *cache, const char *prefix, gboolean drop)
{
	g_autoptr(GMutexLocker) locker = g_mutex_locker_new(&cache->lock);
	GList *l = cache->lru.head;

	mark(cache, prefix, TRUE);
	unlist_flights(cache, prefix, TRUE);
	while (l) {
		CacheEntry *e = l->data;

		l = l->next;
		if (g_str_has_prefix(e->key, prefix))
			mark_stale(cache, e, drop);
	}
}

void cache_invalidate(Cache *cache, const char *key)
{
	invalidate(cache, key, FALSE);
}

void cache_invalidate_prefix(Cache *cache, const char *prefix)
{
	invalidate_prefix(cache, prefix, FALSE);
}

void cache_forget(Cache *cache, const char *key)
{
	invalidate(cache, key, TRUE);
}

void cache_forget_prefix(Cache *cache, const char *prefix)
{
	invalidate_prefix(cache, prefix, TRUE);
}

void cache_get_stats(Cache *cache, CacheStats *ret_stats)
{
	g_autoptr(GMutexLocker) locker = g_mutex_locker_new(&cache->lock);

	*ret_stats = cache->stats;
	ret_stats->entries = g_hash_table_size(cache->entries);
}

void cache_walk(Cache *cache, CacheWalkFunc func, gpointer data)
{
	g_autoptr(GPtrArray) keys = g_ptr_array_new_with_free_func(g_free);
	g_autoptr(GPtrArray) values = g_ptr_array_new_with_free_func(
		(GDestroyNotify)g_bytes_unref);

	g_mutex_lock(&cache->lock);
	for (GList *l = cache->lru.tail; l; l = l->prev) {
		CacheEntry *e = l->data;

		if (!e->value)
			continue;
		g_ptr_array_add(keys, g_strdup(e->key));
		g_ptr_array_add(values, g_bytes_ref(e->value));
	}
	g_mutex_unlock(&cache->lock);
	for (guint i = 0; i < keys->len; i++)
		if (!func(keys->pdata[i], values->pdata[i], data))
			break;
}

void cache_restore(Cache *cache, const char *key, GBytes *value)
{
	if (cache_state(cache, key, NULL) != CACHE_ABSENT)
		return;
	/* Stored as fresh for an instant, then marked stale: invalidated entries keep their
	 * value for stale_on_error and are never fresh again. */
	if (cache_store(cache, key, value, 0, G_USEC_PER_SEC, 0))
		cache_invalidate(cache, key);
}
