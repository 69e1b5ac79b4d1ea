/*
 * baseline.h - which of check's findings a change introduced: the layer
 * under `sales check --new-from-rev` and the fingerprints of --format
 * gitlab.  A filter over check's findings, not a second check: the caller
 * runs check on both versions (with the same as-of date) and asks here
 * which findings of the newer are absent from the older.
 *
 * A finding's identity leaves line numbers out, so a row that moved or a
 * sheet re-sorted keeps its findings' identities: the check, the severity,
 * the sheet, the row's key (wbdiff.h: 04 合同编号, 05 客户名称 + 项目阶段, …;
 * in 02, 06 and 07 the 客户名称 and date), the column's identity (English
 * key or header text), the customer, and the message with the line numbers
 * it quotes ("line 3", "04-contracts.csv:3") masked.  Identities are
 * counted with multiplicity: a third identical finding where there were two
 * is new.
 */
#ifndef SALES_BASELINE_H
#define SALES_BASELINE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "check.h"
#include "error.h"

/*
 * Computes the identity of every finding of res (which check ran on the
 * workbook folder dir), reading each sheet that has findings once more.
 * *ids is a malloc'd array of res->nfindings malloc'd strings; free it with
 * sales_finding_ids_free.  Returns 0, or -1 with err.
 */
int sales_finding_ids(const struct sales_check_result *res, const char *dir,
		      char ***ids, struct sales_error *err);
void sales_finding_ids_free(char **ids, size_t n);

/*
 * Sets is_new[i] for each of the nnow identities now[i]: true when it
 * occurs among now[0..i] more often than in base (the first ones in file
 * order are the old ones).  Returns 0, or -1 on ENOMEM.
 */
int sales_findings_new(char *const *now, size_t nnow, char *const *base,
		       size_t nbase, bool *is_new);

/*
 * A fingerprint per identity, for code-quality reports that follow an
 * issue across commits (GitLab): the hash of the identity and its
 * occurrence (0 for the first of equal identities in file order, 1 for
 * the next, …).  Returns 0, or -1 on ENOMEM.
 */
int sales_finding_fingerprints(char *const *ids, size_t n, uint64_t *out);

#endif
