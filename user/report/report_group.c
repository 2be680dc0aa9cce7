// SPDX-License-Identifier: GPL-2.0
/*
 * The model of "dmswap-trace report", once every file is read: sessions,
 * swap cycles, device instances, the filters and the counts per device.
 *
 * - A session is a start of the tool (its armed line).  The records a
 *   rotation moved to a later file, before that file's first armed line,
 *   are joined to the session they continue: the one of another file, on
 *   the same boot and clock (wall clock minus monotonic clock: the tool
 *   fixes it once at start, so all the records of a session share it), last
 *   armed before them.  A restart, a reboot or another host is never joined.
 * - A cycle is the events of one session, device and swap_id (swap_id
 *   counts from 1 at each start of the tool, so it means nothing across
 *   sessions).  Wall-clock time orders the timeline, not mono_ns: the
 *   monotonic clocks of different boots and hosts are unrelated.
 * - A device instance: a device re-created under the same name is another
 *   device, told by its devt or by a first table (a swap from 0 sectors).
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "report_model.h"

/*
 * Wall minus monotonic clock of two records of one session differ by the
 * rounding to µs only; of two starts on one boot, by the time between the
 * tool's two clock reads (microseconds) unless the clock was stepped.
 */
#define OFFSET_SLACK_US 1000

static int cmp_u64(uint64_t a, uint64_t b)
{
	return a < b ? -1 : a > b;
}

static int cmp_i64(int64_t a, int64_t b)
{
	return a < b ? -1 : a > b;
}

static int cmp_size(size_t a, size_t b)
{
	return a < b ? -1 : a > b;
}

/* "INV-4" < "INV-10": digit runs compare as numbers. */
static int cmp_natural(const char *a, const char *b)
{
	while (*a && *b) {
		if (*a >= '0' && *a <= '9' && *b >= '0' && *b <= '9') {
			char *ea, *eb;
			unsigned long long na = strtoull(a, &ea, 10), nb = strtoull(b, &eb, 10);

			if (na != nb)
				return na < nb ? -1 : 1;
			a = ea;
			b = eb;
			continue;
		}
		if (*a != *b)
			return (unsigned char)*a - (unsigned char)*b;
		a++;
		b++;
	}
	return (unsigned char)*a - (unsigned char)*b;
}

/* The session @o continues, or itself. */
static size_t continued(const struct report *r, size_t o)
{
	const struct rsession *orphan = &r->sessions[o];
	size_t best = o;

	if (!orphan->timed)
		return o;
	for (size_t i = 0; i < r->nr_sessions; i++) {
		const struct rsession *s = &r->sessions[i];
		int64_t d = s->offset_us - orphan->offset_us;

		if (i == o || !s->timed || s->file == orphan->file || d > OFFSET_SLACK_US ||
		    d < -OFFSET_SLACK_US)
			continue;
		/* Armed before the records; an orphan strictly before (no loop). */
		if (s->orphan ? s->mono_ns >= orphan->mono_ns : s->mono_ns > orphan->mono_ns)
			continue;
		if (best == o || s->mono_ns > r->sessions[best].mono_ns)
			best = i;
	}
	return best;
}

static const struct report *sort_ctx;

static int cmp_session_time(const void *pa, const void *pb)
{
	const struct rsession *a = &sort_ctx->sessions[*(const size_t *)pa];
	const struct rsession *b = &sort_ctx->sessions[*(const size_t *)pb];
	int c = cmp_i64(a->ts_us, b->ts_us);

	if (c)
		return c;
	c = cmp_size(a->file, b->file);
	return c ? c : a->line < b->line ? -1 : a->line > b->line;
}

/* Orphans to the sessions they continue; the others numbered in time order. */
static int join_sessions(struct report *r)
{
	size_t *order, n = 0;

	for (size_t i = 0; i < r->nr_sessions; i++) {
		if (r->sessions[i].orphan)
			r->sessions[i].same = continued(r, i);
	}
	for (size_t i = 0; i < r->nr_sessions; i++) {
		size_t s = i;

		/* Each step goes to a session armed strictly earlier: it ends. */
		while (r->sessions[s].same != s)
			s = r->sessions[s].same;
		r->sessions[i].same = s;
	}
	order = calloc(r->nr_sessions ? r->nr_sessions : 1, sizeof(*order));
	if (!order)
		return -1;
	for (size_t i = 0; i < r->nr_sessions; i++) {
		if (r->sessions[i].same == i)
			order[n++] = i;
	}
	sort_ctx = r;
	qsort(order, n, sizeof(*order), cmp_session_time);
	for (size_t i = 0; i < n; i++)
		r->sessions[order[i]].number = i + 1;
	free(order);
	for (size_t i = 0; i < r->nr_recs; i++)
		r->recs[i].session = r->sessions[r->recs[i].session].same;
	for (size_t i = 0; i < r->nr_viols; i++)
		r->viols[i].session = r->sessions[r->viols[i].session].same;
	return 0;
}

/* Grouping order: a cycle's events come together, in time order. */
static int cmp_rec(const void *pa, const void *pb)
{
	const struct rec *a = pa, *b = pb;
	int c = cmp_size(a->session, b->session);

	if (c)
		return c;
	c = strcmp(S(a->dev), S(b->dev));
	if (c)
		return c;
	c = cmp_u64(a->swap_id, b->swap_id);
	if (c)
		return c;
	if (a->timed && b->timed) {
		c = cmp_u64(a->mono_ns, b->mono_ns);
		if (c)
			return c;
	}
	c = cmp_size(a->file, b->file);
	return c ? c : a->line < b->line ? -1 : a->line > b->line;
}

static bool same_cycle(const struct rec *a, const struct rec *b)
{
	return a->session == b->session && !strcmp(S(a->dev), S(b->dev)) &&
	       a->swap_id == b->swap_id;
}

/* Sorted records to cycles; the cycle's span is over its events' own spans. */
static int build_cycles(struct report *r)
{
	if (r->nr_recs)
		qsort(r->recs, r->nr_recs, sizeof(*r->recs), cmp_rec);
	r->cycles = calloc(r->nr_recs ? r->nr_recs : 1, sizeof(*r->cycles));
	if (!r->cycles)
		return -1;
	for (size_t i = 0; i < r->nr_recs;) {
		struct cycle *c = &r->cycles[r->nr_cycles++];
		const struct rec *x = &r->recs[i];
		const struct rec *swap = NULL, *resume = NULL;

		c->file = x->file;
		c->session = x->session;
		c->dev = x->dev;
		c->devt = x->devt;
		c->swap_id = x->swap_id;
		c->ts = x->ts;
		c->ts_us = x->ts_us;
		c->recs = x;
		for (; i < r->nr_recs && same_cycle(&r->recs[i], x); i++) {
			const struct rec *y = &r->recs[i];

			c->nr_recs++;
			if (y->type == REC_SWAP)
				swap = y;
			else if (y->type == REC_RESUME)
				resume = y;
			if (y->ts_us < c->ts_us) {
				c->ts = y->ts;
				c->ts_us = y->ts_us;
			}
			if (!y->timed)
				continue;
			if (!c->timed || y->mono_ns - y->dur_ns < c->start_ns)
				c->start_ns = y->mono_ns - y->dur_ns;
			if (!c->timed || y->mono_ns > c->end_ns)
				c->end_ns = y->mono_ns;
			c->timed = true;
		}
		c->failed = (swap && swap->ret) || (resume && resume->ret);
		c->resumed = resume;
	}
	return 0;
}

static int cmp_cycle_key(const struct cycle *c, size_t session, const char *dev, uint64_t swap_id)
{
	int k = cmp_size(c->session, session);

	if (!k)
		k = strcmp(S(c->dev), S(dev));
	return k ? k : cmp_u64(c->swap_id, swap_id);
}

static int cmp_viol_cycle(const void *pa, const void *pb)
{
	const struct viol *a = *(struct viol *const *)pa, *b = *(struct viol *const *)pb;
	int c = cmp_size(a->session, b->session);

	if (c)
		return c;
	c = strcmp(S(a->dev), S(b->dev));
	if (c)
		return c;
	/* Those outside a cycle apart, even from a cycle with swap_id 0. */
	if (a->in_swap != b->in_swap)
		return a->in_swap ? 1 : -1;
	c = cmp_u64(a->swap_id, b->swap_id);
	if (c)
		return c;
	c = cmp_i64(a->ts_us, b->ts_us);
	if (c)
		return c;
	c = cmp_size(a->file, b->file);
	return c ? c : a->line < b->line ? -1 : a->line > b->line;
}

/* The cycle of a violation's session, device and swap_id, if it is there. */
static struct cycle *cycle_of(struct report *r, const struct viol *v)
{
	size_t lo = 0, hi = r->nr_cycles;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = cmp_cycle_key(&r->cycles[mid], v->session, v->dev, v->swap_id);

		if (!c)
			return &r->cycles[mid];
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

/* Cycles are in (session, dev, swap_id) order, and so are the sorted violations. */
static int attach_violations(struct report *r)
{
	struct viol **vs = calloc(r->nr_viols ? r->nr_viols : 1, sizeof(*vs));

	if (!vs)
		return -1;
	for (size_t i = 0; i < r->nr_viols; i++)
		vs[i] = &r->viols[i];
	qsort(vs, r->nr_viols, sizeof(*vs), cmp_viol_cycle);
	for (size_t i = 0; i < r->nr_viols; i++) {
		struct cycle *cy = vs[i]->in_swap ? cycle_of(r, vs[i]) : NULL;

		if (!cy)
			continue;
		if (!cy->nr_viols)
			cy->viols = &vs[i];
		cy->nr_viols++;
		vs[i]->in_cycle = true;
	}
	r->by_cycle = vs;
	return 0;
}

/* Timeline order: per session (in time order), device and instance, then by time. */
static int cmp_cycle(const void *pa, const void *pb)
{
	const struct cycle *a = pa, *b = pb;
	int c = cmp_u64(sort_ctx->sessions[a->session].number,
			sort_ctx->sessions[b->session].number);

	if (c)
		return c;
	c = strcmp(S(a->dev), S(b->dev));
	if (c)
		return c;
	c = cmp_u64(a->instance, b->instance);
	if (c)
		return c;
	c = cmp_i64(a->ts_us, b->ts_us);
	return c ? c : cmp_u64(a->swap_id, b->swap_id);
}

static int cmp_cycle_ptr_time(const void *pa, const void *pb)
{
	const struct cycle *a = *(struct cycle *const *)pa, *b = *(struct cycle *const *)pb;
	int c = cmp_size(a->session, b->session);

	if (c)
		return c;
	c = strcmp(S(a->dev), S(b->dev));
	if (c)
		return c;
	c = cmp_i64(a->ts_us, b->ts_us);
	return c ? c : cmp_u64(a->swap_id, b->swap_id);
}

/* A first table: the device was (re-)created just before. */
static bool first_table(const struct cycle *c)
{
	for (size_t i = 0; i < c->nr_recs; i++) {
		if (c->recs[i].type == REC_SWAP && c->recs[i].sized)
			return !c->recs[i].old_sectors;
	}
	return false;
}

static int number_instances(struct report *r)
{
	struct cycle **cs = calloc(r->nr_cycles ? r->nr_cycles : 1, sizeof(*cs));

	if (!cs)
		return -1;
	for (size_t i = 0; i < r->nr_cycles; i++)
		cs[i] = &r->cycles[i];
	qsort(cs, r->nr_cycles, sizeof(*cs), cmp_cycle_ptr_time);
	for (size_t i = 0; i < r->nr_cycles; i++) {
		struct cycle *c = cs[i], *p = i ? cs[i - 1] : NULL;

		if (!p || p->session != c->session || strcmp(S(p->dev), S(c->dev)))
			c->instance = 1;
		else if ((p->devt && c->devt && strcmp(p->devt, c->devt)) || first_table(c))
			c->instance = p->instance + 1;
		else
			c->instance = p->instance;
		for (size_t k = 0; k < c->nr_viols; k++)
			c->viols[k]->instance = c->instance;
	}
	for (size_t i = 0; i < r->nr_viols; i++) {
		if (!r->viols[i].instance)
			r->viols[i].instance = 1;
	}
	free(cs);
	return 0;
}

static bool dev_matches(const struct report_filter *f, const char *dev, const char *devt)
{
	if (!f->nr_devs)
		return true;
	for (size_t i = 0; i < f->nr_devs; i++) {
		if ((dev && !strcmp(dev, f->devs[i])) || (devt && !strcmp(devt, f->devs[i])))
			return true;
	}
	return false;
}

static bool time_matches(const struct report_filter *f, int64_t us)
{
	if (f->since_us == INT64_MIN && f->until_us == INT64_MAX)
		return true;
	return us != REPORT_NO_TIME && us >= f->since_us && us < f->until_us;
}

static bool inv_matches(const struct report_filter *f, const char *inv)
{
	if (!f->nr_invs)
		return true;
	for (size_t i = 0; i < f->nr_invs; i++) {
		if (!strcmp(S(inv), f->invs[i]))
			return true;
	}
	return false;
}

static int cmp_viol_time(const void *pa, const void *pb)
{
	const struct viol *a = *(struct viol *const *)pa, *b = *(struct viol *const *)pb;
	int c = cmp_i64(a->ts_us, b->ts_us);

	if (c)
		return c;
	c = cmp_size(a->file, b->file);
	return c ? c : a->line < b->line ? -1 : a->line > b->line;
}

/* What passes --dev, --inv, --since and --until; violations numbered in time order. */
static int apply_filters(struct report *r)
{
	const struct report_filter *f = &r->filter;
	struct viol **vs = calloc(r->nr_viols ? r->nr_viols : 1, sizeof(*vs));
	size_t n = 0;

	if (!vs)
		return -1;
	for (size_t i = 0; i < r->nr_viols; i++) {
		struct viol *v = &r->viols[i];

		v->shown = dev_matches(f, v->dev, v->devt) && time_matches(f, v->ts_us) &&
			   inv_matches(f, v->inv);
		if (v->shown)
			vs[n++] = v;
	}
	qsort(vs, n, sizeof(*vs), cmp_viol_time);
	for (size_t i = 0; i < n; i++) {
		vs[i]->number = i + 1;
		r->sessions[vs[i]->session].violations++;
	}
	r->shown_viols = n;
	free(vs);
	for (size_t i = 0; i < r->nr_cycles; i++) {
		struct cycle *c = &r->cycles[i];
		bool has = !f->nr_invs;

		for (size_t k = 0; k < c->nr_viols && !has; k++)
			has = c->viols[k]->shown;
		c->shown = has && dev_matches(f, c->dev, c->devt) && time_matches(f, c->ts_us);
		r->sessions[c->session].cycles += c->shown;
	}
	return 0;
}

/* Where a session ran: its host, else (older logs) the file of its armed line. */
static const char *origin(const struct report *r, size_t session)
{
	const struct rsession *s = &r->sessions[session];

	return s->host ? s->host : r->files[s->file].name;
}

struct stat_key {
	const char *host, *dev;
	const struct cycle *c;
	const struct viol *v;
};

static int cmp_key(const void *pa, const void *pb)
{
	const struct stat_key *a = pa, *b = pb;
	int c = strcmp(a->host, b->host);

	return c ? c : strcmp(a->dev, b->dev);
}

static int cmp_dur(const void *pa, const void *pb)
{
	return cmp_u64(*(const uint64_t *)pa, *(const uint64_t *)pb);
}

/* Nearest rank: the smallest value with at least @pct percent at or below it. */
static uint64_t percentile(const uint64_t *v, size_t n, unsigned int pct)
{
	size_t rank = (n * pct + 99) / 100;

	return v[rank ? rank - 1 : 0];
}

static void fill_stats(struct dev_stats *st, const struct stat_key *k, size_t n, uint64_t *swaps,
		       uint64_t *suspends)
{
	size_t ns = 0, nu = 0;

	st->host = k[0].host;
	st->dev = k[0].dev;
	for (size_t i = 0; i < n; i++) {
		const struct cycle *c = k[i].c;
		bool swapped = false;

		if (k[i].v) {
			st->violations++;
			continue;
		}
		st->cycles++;
		st->failures += c->failed;
		for (size_t j = 0; j < c->nr_recs; j++) {
			const struct rec *x = &c->recs[j];

			if (x->type == REC_SWAP) {
				swapped = true;
				if (x->timed)
					swaps[ns++] = x->dur_ns;
			} else if (x->type == REC_SUSPEND && x->timed) {
				suspends[nu++] = x->dur_ns;
			}
		}
		st->swaps += swapped;
	}
	qsort(swaps, ns, sizeof(*swaps), cmp_dur);
	qsort(suspends, nu, sizeof(*suspends), cmp_dur);
	if ((st->have_swap = ns)) {
		st->swap_p50 = percentile(swaps, ns, 50);
		st->swap_p99 = percentile(swaps, ns, 99);
	}
	if ((st->have_suspend = nu)) {
		st->suspend_p50 = percentile(suspends, nu, 50);
		st->suspend_p99 = percentile(suspends, nu, 99);
	}
}

/* Per host and device, over what is shown. */
static int build_stats(struct report *r)
{
	size_t n = 0, nrecs = 0, groups = 0;
	struct stat_key *k = calloc(r->nr_cycles + r->nr_viols + 1, sizeof(*k));
	uint64_t *swaps, *suspends;

	for (size_t i = 0; i < r->nr_recs; i++)
		nrecs += r->recs[i].type != REC_RESUME;
	swaps = calloc(nrecs + 1, sizeof(*swaps));
	suspends = calloc(nrecs + 1, sizeof(*suspends));
	if (!k || !swaps || !suspends)
		goto fail;
	for (size_t i = 0; i < r->nr_cycles; i++) {
		if (r->cycles[i].shown)
			k[n++] = (struct stat_key){ origin(r, r->cycles[i].session),
						    S(r->cycles[i].dev), &r->cycles[i], NULL };
	}
	for (size_t i = 0; i < r->nr_viols; i++) {
		if (r->viols[i].shown)
			k[n++] = (struct stat_key){ origin(r, r->viols[i].session),
						    S(r->viols[i].dev), NULL, &r->viols[i] };
	}
	qsort(k, n, sizeof(*k), cmp_key);
	for (size_t i = 0; i < n; i++)
		groups += !i || cmp_key(&k[i - 1], &k[i]);
	r->stats = calloc(groups ? groups : 1, sizeof(*r->stats));
	if (!r->stats)
		goto fail;
	for (size_t i = 0, j; i < n; i = j) {
		for (j = i + 1; j < n && !cmp_key(&k[i], &k[j]); j++) {
		}
		fill_stats(&r->stats[r->nr_stats++], &k[i], j - i, swaps, suspends);
	}
	free(k);
	free(swaps);
	free(suspends);
	return 0;
fail:
	free(k);
	free(swaps);
	free(suspends);
	return -1;
}

int report_group(struct report *r)
{
	if (join_sessions(r) || build_cycles(r) || attach_violations(r) || number_instances(r) ||
	    apply_filters(r))
		return -1;
	sort_ctx = r;
	qsort(r->cycles, r->nr_cycles, sizeof(*r->cycles), cmp_cycle);
	return build_stats(r);
}

int report_cmp_viol_inv(const void *pa, const void *pb)
{
	const struct viol *a = *(struct viol *const *)pa, *b = *(struct viol *const *)pb;
	int c = cmp_natural(S(a->inv), S(b->inv));

	return c ? c : strcmp(S(a->dev), S(b->dev));
}

void report_cycle_label(const struct report *r, const struct cycle *c, char *buf, size_t len)
{
	size_t sessions = 0;

	for (size_t i = 0; i < r->nr_sessions && sessions < 2; i++)
		sessions += r->sessions[i].same == i;
	if (sessions > 1)
		snprintf(buf, len, "%u.%" PRIu64, r->sessions[c->session].number, c->swap_id);
	else
		snprintf(buf, len, "%" PRIu64, c->swap_id);
}

bool report_cycle_span(const struct cycle *c, int64_t *start, int64_t *end)
{
	bool have = false;

	for (size_t i = 0; i < c->nr_recs; i++) {
		const struct rec *x = &c->recs[i];

		if (x->ts_us == REPORT_NO_TIME)
			continue;
		/* Differences only, in µs, rounded: a damaged log's values cannot overflow. */
		if (c->timed && x->timed) {
			*start = x->ts_us - (int64_t)((x->mono_ns - c->start_ns + 500) / 1000);
			*end = *start + (int64_t)((c->end_ns - c->start_ns + 500) / 1000);
			return true;
		}
		if (!have || x->ts_us < *start)
			*start = x->ts_us;
		if (!have || x->ts_us > *end)
			*end = x->ts_us;
		have = true;
	}
	return have;
}

void report_free(struct report *r)
{
	for (size_t i = 0; i < r->nr_files; i++)
		free(r->files[i].name);
	free(r->files);
	for (size_t i = 0; i < r->nr_sessions; i++) {
		struct rsession *s = &r->sessions[i];

		free(s->host);
		free(s->boot_id);
		free(s->started);
		free(s->kernel);
		free(s->ts);
	}
	free(r->sessions);
	for (size_t i = 0; i < r->nr_recs; i++) {
		free(r->recs[i].dev);
		free(r->recs[i].devt);
		free(r->recs[i].ts);
		free(r->recs[i].err_name);
		free(r->recs[i].targets);
	}
	free(r->recs);
	for (size_t i = 0; i < r->nr_viols; i++) {
		struct viol *v = &r->viols[i];

		free(v->dev);
		free(v->devt);
		free(v->ts);
		free(v->inv);
		free(v->message);
		for (size_t k = 0; k < v->nr_fixes; k++) {
			free(v->fixes[k].commit);
			free(v->fixes[k].title);
			free(v->fixes[k].mainline);
			free(v->fixes[k].stable);
		}
		free(v->fixes);
		free(v->json);
	}
	free(r->viols);
	free(r->cycles);
	free(r->by_cycle);
	free(r->stats);
	jp_doc_free(&r->doc);
}
