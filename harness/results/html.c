// SPDX-License-Identifier: GPL-2.0
/*
 * The HTML report: one file that needs nothing else to be read. The matrix of cases by
 * kernel and each case's verdict, reason and diagnostics are plain HTML; each case's
 * detail (checks, processes, memory over time, kernel log) is embedded as JSON and drawn
 * by the small script at the end (tables, bars, an SVG plot).
 */
#include "results/markup.h"
#include "results/results.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

static const char *const style =
	"body{font:14px sans-serif;margin:1.5em;color:#222}"
	"table{border-collapse:collapse;margin:.5em 0}"
	"td,th{border:1px solid #ccc;padding:2px 8px;text-align:left;vertical-align:top}"
	"th{background:#f3f3f3}"
	".pass{background:#c8efc8}.fail,.timeout,.error{background:#f6c0c0}.skip{background:#eee}"
	".none{background:#fff;color:#999}"
	"td.cell a{color:#000;text-decoration:none;display:block}"
	"pre{background:#f8f8f8;padding:6px;overflow-x:auto;margin:.3em 0}"
	".matched{background:#fff3a0;font-weight:bold}"
	".bar{display:inline-block;height:10px;background:#4a7fd0;vertical-align:middle}"
	".bar.model{background:#d08a4a}"
	"section{border-top:2px solid #ddd;margin-top:1.5em;padding-top:.5em}"
	".legend span{margin-right:1em}";

/* Draws each case's detail from its JSON; plain DOM, no library. */
static const char *const script =
	"function el(tag, text, cls) { var e = document.createElement(tag);"
	" if (text !== undefined && text !== null) e.textContent = String(text);"
	" if (cls) e.className = cls; return e; }\n"
	"function table(head, rows) { var t = el('table'), tr = el('tr');"
	" head.forEach(function (h) { tr.appendChild(el('th', h)); }); t.appendChild(tr);"
	" rows.forEach(function (r) { var row = el('tr');"
	"  r.forEach(function (c) { var td = el('td');"
	"   if (c instanceof Node) td.appendChild(c); else td.textContent = c === null ? '-' : String(c);"
	"   row.appendChild(td); }); t.appendChild(row); }); return t; }\n"
	"function bar(value, max, cls) { var s = el('span'), b = el('span', '', cls);"
	" b.style.width = (max > 0 && value > 0 ? Math.round(120 * value / max) : 0) + 'px';"
	" s.appendChild(b); s.appendChild(document.createTextNode(' ' + (value === null ? '-' : value)));"
	" return s; }\n"
	"var colours = ['#4a7fd0', '#d08a4a', '#3a9a5b', '#b84a9a', '#8a8a2a', '#2a9ab0', '#c04040', '#707070'];\n"
	"function plot(d) { var m = d.memory, s = m.samples; if (!s.length) return el('p', 'no memory samples');"
	" var ns = 'http://www.w3.org/2000/svg', W = 640, H = 220, L = 60, B = 24;"
	" var svg = document.createElementNS(ns, 'svg'); svg.setAttribute('width', W); svg.setAttribute('height', H);"
	" svg.setAttribute('class', 'memplot');"
	" var tmax = s[s.length - 1][0] || 1, vmax = 1;"
	" s.forEach(function (r) { for (var i = 1; i < r.length; i++) if (r[i] > vmax) vmax = r[i]; });"
	" function x(t) { return L + (W - L - 10) * t / tmax; }"
	" function y(v) { return H - B - (H - B - 10) * v / vmax; }"
	" var axis = document.createElementNS(ns, 'path');"
	" axis.setAttribute('d', 'M' + L + ' 10 V' + (H - B) + ' H' + (W - 10));"
	" axis.setAttribute('stroke', '#444'); axis.setAttribute('fill', 'none'); svg.appendChild(axis);"
	" function label(tx, ty, text) { var t = document.createElementNS(ns, 'text'); t.setAttribute('x', tx);"
	"  t.setAttribute('y', ty); t.setAttribute('font-size', '11'); t.textContent = text; svg.appendChild(t); }"
	" label(2, 16, (vmax / 1024).toFixed(0) + ' MiB'); label(2, H - B, '0');"
	" label(W - 70, H - 6, tmax + ' ms');"
	" var names = ['cgroup usage'].concat(d.processes.map(function (p) { return p.role + ' rss'; }));"
	" var legend = el('div', null, 'legend');"
	" for (var c = 1; c < s[0].length; c++) { var pts = [];"
	"  s.forEach(function (r) { if (r[c] >= 0) pts.push(x(r[0]).toFixed(1) + ',' + y(r[c]).toFixed(1)); });"
	"  if (!pts.length) continue;"
	"  var line = document.createElementNS(ns, 'polyline'); line.setAttribute('points', pts.join(' '));"
	"  line.setAttribute('fill', 'none'); line.setAttribute('stroke', colours[(c - 1) % colours.length]);"
	"  line.setAttribute('stroke-width', c === 1 ? '2.5' : '1.5'); svg.appendChild(line);"
	"  var key = el('span', names[c - 1]); key.style.color = colours[(c - 1) % colours.length];"
	"  legend.appendChild(key); }"
	" var box = el('div'); box.appendChild(svg); box.appendChild(legend);"
	" box.appendChild(el('div', 'every ' + m.interval_ms + ' ms (the last interval used), from the first process\\'s start'));"
	" return box; }\n"
	"function draw(section, d) {"
	" if (d.why) section.appendChild(el('p', d.why));"
	" section.appendChild(el('h4', 'Checks'));"
	" section.appendChild(table(['key', 'expected', 'result'], d.checks.map(function (c) {"
	"  return [c.key, c.expected, c.ok ? 'ok' : (c.failure || 'not checked')]; })));"
	" var top = 1, mtop = 1; d.processes.forEach(function (p) {"
	"  if (p.oom_score > top) top = p.oom_score; if (p.badness > mtop) mtop = p.badness; });"
	" section.appendChild(el('h4', 'Processes (sampled before go)'));"
	" section.appendChild(table(['role', 'pid', 'adj', 'oom_score', 'model badness', 'anon kB', 'file kB',"
	"  'shmem kB', 'fate'], d.processes.map(function (p) {"
	"  return [p.role + (p.trigger ? ' (trigger)' : '') + (p.victim ? ' (victim)' : '')"
	"   + (p.members ? ' +' + p.members : ''), p.pid,"
	"   p.oom_score_adj, bar(p.oom_score, top, 'bar'),"
	"   p.never_chosen ? 'never' : bar(p.badness, mtop, 'bar model'),"
	"   p.anon_kb, p.file_kb, p.shmem_kb, p.fate]; })));"
	" section.appendChild(el('h4', 'Memory over time')); section.appendChild(plot(d));"
	" section.appendChild(el('h4', 'Kernel log of the case (lines the expectations matched are marked)'));"
	" var pre = el('pre'); d.log.forEach(function (l) {"
	"  pre.appendChild(el('div', l.text, l.matched ? 'matched' : '')); });"
	" if (!d.log.length) pre.textContent = '(none)'; section.appendChild(pre); }\n"
	"document.querySelectorAll('script.detail').forEach(function (s) {"
	" var section = document.getElementById(s.dataset.section);"
	" try { draw(section, JSON.parse(s.textContent)); }"
	" catch (e) { section.appendChild(el('p', 'the detail of this case cannot be shown: ' + e)); } });\n";

/* JSON inside <script>: no "<" at all ("</script>" in a log line must not end it). */
static void script_json(FILE *f, const char *s)
{
	for (; *s; s++) {
		if (*s == '<')
			fputs("\\u003c", f);
		else
			fputc(*s, f);
	}
}

/* An id for a case on a kernel: "c" and its index. */
static void anchor(char *out, size_t len, int i)
{
	snprintf(out, len, "c%d", i);
}

static const struct case_result *find(const struct results *rs, const char *kernel, const char *name,
				      int *index)
{
	for (int i = 0; i < rs->n; i++)
		if (!strcmp(rs->list[i].kernel, kernel) && !strcmp(rs->list[i].name, name)) {
			*index = i;
			return &rs->list[i];
		}
	return NULL;
}

static bool seen_before(const struct results *rs, int i)
{
	for (int k = 0; k < i; k++)
		if (!strcmp(rs->list[k].name, rs->list[i].name))
			return true;
	return false;
}

static void kernel_name(FILE *f, const struct results *rs, const char *kernel)
{
	if (strcmp(kernel, "host"))
		markup_text(f, kernel);
	else {
		fputs("host ", f);
		markup_text(f, rs->host_kernel);
	}
}

/* Cases down, kernels across; each cell the verdict, linking to the case. */
static void matrix(FILE *f, const struct results *rs)
{
	char id[32];

	fputs("<table class=\"matrix\"><tr><th>case</th>", f);
	for (int k = 0; k < rs->nkernels; k++) {
		fputs("<th>", f);
		kernel_name(f, rs, rs->kernels[k]);
		fputs("</th>", f);
	}
	fputs("</tr>\n", f);
	for (int i = 0; i < rs->n; i++) {
		if (seen_before(rs, i))
			continue;
		fputs("<tr><td>", f);
		markup_text(f, rs->list[i].name);
		fputs("</td>", f);
		for (int k = 0; k < rs->nkernels; k++) {
			int at;
			const struct case_result *c = find(rs, rs->kernels[k], rs->list[i].name, &at);

			if (!c) {
				fputs("<td class=\"cell none\">-</td>", f);
				continue;
			}
			anchor(id, sizeof(id), at);
			fprintf(f, "<td class=\"cell %s\"><a href=\"#%s\">%s</a></td>", verdict_word(c->v), id,
				verdict_word(c->v));
		}
		fputs("</tr>\n", f);
	}
	fputs("</table>\n", f);
}

static void case_section(FILE *f, const struct results *rs, int i)
{
	const struct case_result *c = &rs->list[i];
	char id[32];

	anchor(id, sizeof(id), i);
	fprintf(f, "<section id=\"%s\"><h3 class=\"%s\">", id, verdict_word(c->v));
	markup_text(f, c->name);
	fputs(" on ", f);
	kernel_name(f, rs, c->kernel);
	fprintf(f, ": %s", verdict_word(c->v));
	if (c->reason) {
		fputs(" (", f);
		markup_text(f, c->reason);
		fputs(")", f);
	}
	fputs("</h3>\n", f);
	if (c->duration_ms >= 0)
		fprintf(f, "<p>%.1f s</p>\n", (double)c->duration_ms / 1000);
	if (c->ndiags) {
		fputs("<details><summary>KTAP diagnostics</summary><pre>", f);
		for (int d = 0; d < c->ndiags; d++) {
			markup_text(f, c->diags[d]);
			fputc('\n', f);
		}
		fputs("</pre></details>\n", f);
	}
	if (c->detail) {
		fprintf(f, "<script type=\"application/json\" class=\"detail\" data-section=\"%s\">", id);
		script_json(f, c->detail);
		fputs("</script>\n", f);
	}
	fputs("</section>\n", f);
}

int results_write_html(const struct results *rs, const char *path, struct err *e)
{
	int counts[4];
	FILE *f = fopen(path, "we");

	if (!f)
		return err_set(e, errno, "--html: create `%s`", path);
	results_totals(rs, NULL, counts);
	fprintf(f, "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n"
		"<title>oomlab report %s</title><style>%s</style></head><body>\n"
		"<h1>oomlab report</h1>\n<p>Started %s on a host running Linux ", rs->started, style,
		rs->started);
	markup_text(f, rs->host_kernel);
	fprintf(f, ". pass %d, fail %d, skip %d, error %d.</p>\n<h2>Cases by kernel</h2>\n", counts[0],
		counts[1], counts[2], counts[3]);
	matrix(f, rs);
	fputs("<h2>Cases</h2>\n", f);
	for (int i = 0; i < rs->n; i++)
		case_section(f, rs, i);
	fprintf(f, "<script>%s</script>\n</body></html>\n", script);
	if (fclose(f))
		return err_set(e, errno, "--html: write `%s`", path);
	return 0;
}
