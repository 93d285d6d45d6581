// SPDX-License-Identifier: GPL-2.0
#include "model/badness.h"

static struct kver kv(int major, int minor)
{
	return (struct kver){ major, minor, 0 };
}

static bool at_least(const struct kver *k, int major, int minor)
{
	struct kver v = kv(major, minor);

	return kver_cmp(k, &v) >= 0;
}

enum badness_era badness_era_of(const struct kver *k)
{
	struct kver v = { 2, 6, 36 };

	if (kver_cmp(k, &v) < 0)
		return BADNESS_NONE;
	if (!at_least(k, 3, 5))
		return BADNESS_2_6_36;
	if (!at_least(k, 5, 9))
		return BADNESS_3_5;
	return BADNESS_5_9;
}

const char *badness_era_name(enum badness_era era)
{
	switch (era) {
	case BADNESS_2_6_36: return "2.6.36-3.4";
	case BADNESS_3_5: return "3.5-5.8";
	case BADNESS_5_9: return "5.9+";
	case BADNESS_NONE: break;
	}
	return "before 2.6.36 (not modelled)";
}

long long badness(enum badness_era era, const struct kver *k, const struct badness_in *in,
		  long long totalpages)
{
	long long points, adj = in->adj;

	if (era == BADNESS_NONE || in->ineligible || in->adj <= -1000)
		return BADNESS_UNKILLABLE;
	if (totalpages < 1)
		totalpages = 1;
	points = in->rss + in->swap + in->pgtables;
	if (era == BADNESS_2_6_36) {
		/* In thousandths of the domain, root gets 3% off, then adj, clamped to 1..1000. */
		points = points * 1000 / totalpages;
		if (in->cap_sys_admin)
			points -= 30;
		points += adj;
		return points <= 0 ? 1 : points > 1000 ? 1000 : points;
	}
	if (in->cap_sys_admin && !at_least(k, 4, 17)) {
		if (at_least(k, 3, 14))
			points -= points * 3 / 100;    /* 3% of its own usage */
		else
			adj -= 30;                     /* 3% of the domain, through adj */
	}
	/* The division comes first: under 1000 pages in the domain, adj counts for nothing. */
	points += adj * (totalpages / 1000);
	if (era == BADNESS_3_5)
		return points > 0 ? points : 1;
	return points;
}

long badness_oom_score(enum badness_era era, long long points, long long total)
{
	if (era == BADNESS_NONE)
		return -1;
	if (points == BADNESS_UNKILLABLE)
		return 0;
	if (total < 1)
		total = 1;
	switch (era) {
	case BADNESS_2_6_36:
		return (long)points;
	case BADNESS_3_5:
		return (long)(points * 1000 / total);
	case BADNESS_5_9:
		return (long)((1000 + points * 1000 / total) * 2 / 3);
	case BADNESS_NONE:
		break;
	}
	return -1;
}

bool badness_later_wins_ties(const struct kver *k)
{
	return at_least(k, 5, 3);
}

bool badness_vfork_ineligible(const struct kver *k)
{
	return at_least(k, 4, 8);
}

bool badness_mm_sharers_share_adj(const struct kver *k)
{
	return at_least(k, 4, 8);
}
