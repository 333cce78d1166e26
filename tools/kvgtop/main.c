// SPDX-License-Identifier: GPL-2.0
/*
 * kvgtop: kvgrow's containers live, sorted by waste, as top and slabtop
 * show processes and slab caches.  It reads /sys/kernel/debug/kvgrow/
 * (kvgrow.ko's debugfs tree; root only) every interval, or a saved copy
 * of it (--root DIR), and shows the totals (containers, footprint, live,
 * slack, grows/s, bytes moved/s) and a row per container or group, with
 * per-second rates from the counters' deltas.
 *
 * Keys (also `kvgtop -h` and the h key; kt_keys_help below is the text):
 *   f s % g m n  sort by footprint, slack, slack %, grows/s, moved/s, name
 *   r            reverse the order
 *   k            filter by kind: all, vec, map, group, all ...
 *   /            filter by name (a substring; empty: none)
 *   t            the per-site table (debugfs `sites`) / the containers
 *   Up Down PgUp PgDn Home   select a row
 *   Enter or o   open the selected entry's vec/, map/ or group/ file, and
 *                a map's bucket histogram (q, Esc or Enter: back)
 *   d            the delay between reads
 *   space        read now
 *   h or ?       help
 *   q            quit
 *
 * Exit statuses: 0; 1 a malformed file (batch mode); 2 usage; 3 debugfs
 * not mounted; 4 kvgrow.ko not loaded (no kvgrow/ directory, or no --root
 * DIR); 5 permission denied (not root); 6 another error reading the tree.
 */
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include "kvgtop.h"

const char kt_keys_help[] =
"Keys:\n"
"  f s % g m n   sort by footprint, slack, slack %, grows/s, moved/s, name\n"
"  r             reverse the order\n"
"  k             filter by kind: all, vec, map, group\n"
"  /             filter by name (a substring; empty: none)\n"
"  t             per-site table (debugfs sites) / containers\n"
"  Up Down PgUp PgDn Home   select a row\n"
"  Enter or o    open the selected entry's vec/, map/ or group/ file\n"
"                (a map's with its bucket histogram); q, Esc: back\n"
"  d             delay between reads\n"
"  space         read now\n"
"  h or ?        this help\n"
"  q             quit\n";

static void print_usage(FILE *f)
{
	fprintf(f,
		"usage: kvgtop [-b] [-n N] [-d SECS] [--root DIR] [-s SORT] [-r] [-k KIND]\n"
		"              [-f TEXT] [-t] [--rate-dt SECS]\n"
		"  kvgrow.ko's containers live, sorted by waste (reads " KT_DEFAULT_ROOT "/).\n"
		"  -b, --batch      plain text frames, exact figures (scripts, logs); SIGUSR1\n"
		"                   starts the next frame at once\n"
		"  -n, --frames N   stop after N frames (default: until q, or forever with -b);\n"
		"                   the screen shows the Nth for one delay\n"
		"  -d, --delay SECS between reads (default 2; 0.1 to 3600)\n"
		"  --root DIR       read DIR, a saved copy of the tree, instead of debugfs\n"
		"  -s, --sort SORT  footprint (default), slack, slack%%, grows/s, moved/s, name\n"
		"  -r, --reverse    smallest first\n"
		"  -k, --kind KIND  only vec, map or group\n"
		"  -f, --filter TEXT  only names containing TEXT\n"
		"  -t, --sites      the per-site table\n"
		"  --rate-dt SECS   rates over SECS, not the time measured between reads\n"
		"                   (for saved trees taken SECS apart)\n"
		"  -h, --help       this text\n"
		"%sRates: an entry new since the last read, or whose counters went down (its\n"
		"name reused by a new container), counts its whole count in the interval.\n"
		"Exit: 0; 1 malformed file (batch); 2 usage; 3 debugfs not mounted;\n"
		"4 kvgrow.ko not loaded (or no --root DIR); 5 permission denied (not root);\n"
		"6 other read error.\n", kt_keys_help);
}

static bool parse_secs(const char *s, double *v)
{
	char *end;

	errno = 0;
	*v = strtod(s, &end);
	return !errno && end != s && !*end && *v >= 0.1 && *v <= 3600;
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "batch", no_argument, NULL, 'b' },
		{ "frames", required_argument, NULL, 'n' },
		{ "delay", required_argument, NULL, 'd' },
		{ "root", required_argument, NULL, 'R' },
		{ "sort", required_argument, NULL, 's' },
		{ "reverse", no_argument, NULL, 'r' },
		{ "kind", required_argument, NULL, 'k' },
		{ "filter", required_argument, NULL, 'f' },
		{ "sites", no_argument, NULL, 't' },
		{ "rate-dt", required_argument, NULL, 'D' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct kt_opts o = {
		.root = KT_DEFAULT_ROOT,
		.is_default_root = true,
		.delay = 2,
	};
	char msg[512], *end;
	int c, st;

	opterr = 0;	/* our own message, without the path */
	while ((c = getopt_long(argc, argv, "bn:d:s:rk:f:th", longopts,
				NULL)) != -1) {
		switch (c) {
		case 'b':
			o.batch = true;
			break;
		case 'n':
			errno = 0;
			o.frames = strtol(optarg, &end, 10);
			if (errno || end == optarg || *end || o.frames < 1) {
				fprintf(stderr,
					"kvgtop: -n: a number of frames >= 1, not '%s'\n",
					optarg);
				return KT_EXIT_USAGE;
			}
			break;
		case 'd':
			if (!parse_secs(optarg, &o.delay)) {
				fprintf(stderr,
					"kvgtop: -d: seconds from 0.1 to 3600, not '%s'\n",
					optarg);
				return KT_EXIT_USAGE;
			}
			break;
		case 'D':
			if (!parse_secs(optarg, &o.rate_dt)) {
				fprintf(stderr,
					"kvgtop: --rate-dt: seconds from 0.1 to 3600, not '%s'\n",
					optarg);
				return KT_EXIT_USAGE;
			}
			break;
		case 'R':
			o.root = optarg;
			o.is_default_root = false;
			break;
		case 's':
			st = kt_sort_parse(optarg);
			if (st < 0) {
				fprintf(stderr,
					"kvgtop: -s: footprint, slack, slack%%, grows/s, moved/s or name, not '%s'\n",
					optarg);
				return KT_EXIT_USAGE;
			}
			o.view.sort = st;
			break;
		case 'r':
			o.view.reverse = true;
			break;
		case 'k':
			if (strcmp(optarg, "vec") && strcmp(optarg, "map") &&
			    strcmp(optarg, "group")) {
				fprintf(stderr,
					"kvgtop: -k: vec, map or group, not '%s'\n",
					optarg);
				return KT_EXIT_USAGE;
			}
			snprintf(o.view.kind, sizeof(o.view.kind), "%s", optarg);
			break;
		case 'f':
			if (strlen(optarg) >= sizeof(o.view.filter)) {
				fprintf(stderr, "kvgtop: -f: at most %zu characters\n",
					sizeof(o.view.filter) - 1);
				return KT_EXIT_USAGE;
			}
			snprintf(o.view.filter, sizeof(o.view.filter), "%s", optarg);
			break;
		case 't':
			o.view.sites = true;
			break;
		case 'h':
			print_usage(stdout);
			return KT_EXIT_OK;
		default:
			fprintf(stderr, "kvgtop: %s: %s (kvgtop -h: usage)\n",
				argv[optind - 1], optopt && strchr("ndskfRD", optopt) ?
				"needs an argument" : "unknown option");
			return KT_EXIT_USAGE;
		}
	}
	if (optind != argc) {
		fprintf(stderr, "kvgtop: unexpected argument '%s'\n", argv[optind]);
		print_usage(stderr);
		return KT_EXIT_USAGE;
	}
	st = kt_check_root(o.root, o.is_default_root, msg, sizeof(msg));
	if (st) {
		fprintf(stderr, "kvgtop: %s\n", msg);
		return st;
	}
	return o.batch ? kt_batch(&o) : kt_screen(&o);
}
