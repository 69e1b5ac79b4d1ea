/*
 * findrun.h - findings spilled to a temporary file in sorted runs and read
 * back merged, so `sales check` holds a bounded number of findings however
 * many the workbook has (check.c's stream option; internal to check).
 *
 * A run is an array of findings sorted with sales_finding_cmp, ties in the
 * order they were given; the merge yields every run's findings in that
 * order, ties in the order the runs were written, so the merged output is
 * what one stable sort of all of them gives.  The file lives in $TMPDIR (else /tmp), unlinked at once.
 */
#ifndef SALES_FINDRUN_H
#define SALES_FINDRUN_H

#include <stddef.h>

#include "check.h"
#include "error.h"

struct sales_findrun;

/* The order of findings: sheet, line, column, check name, severity,
 * message (a qsort comparator over struct sales_finding). */
int sales_finding_cmp(const void *a, const void *b);

/* An empty set of runs in a new temporary file.  0, or -1 with err. */
int sales_findrun_open(struct sales_findrun **out, struct sales_error *err);

/*
 * Appends f[0..n) as one run in sales_finding_cmp's order, ties in f's
 * (f itself is not reordered; the strings are copied: f may be reused at
 * once; excerpt is not kept).  0, or -1 with err.
 */
int sales_findrun_add(struct sales_findrun *fr, struct sales_finding *f,
		      size_t n, struct sales_error *err);

/* How many runs were added. */
size_t sales_findrun_count(const struct sales_findrun *fr);

/*
 * The next finding of the merge in *f (valid until the next call or the
 * close; the first call ends the adding).  1, 0 after the last, -1 with
 * err when the file cannot be read.
 */
int sales_findrun_next(struct sales_findrun *fr,
		       const struct sales_finding **f, struct sales_error *err);

void sales_findrun_close(struct sales_findrun *fr);

#endif
