#!/usr/bin/env python3
"""agree.py SALES WORKBOOK - do check, status and due agree on WORKBOOK?

For every customer of 01-leads.csv (and every customer a finding names):
  1. `check --customer C` has exactly the findings of `check` whose
     customer is C;
  2. `status C` lists exactly those findings under Problems (same check,
     severity, file, line, column, cell and message);
  3. every open deadline check reports (screening, a missing proposal,
     payments, a stalled A lead, an after-sales visit) is an item of `due`
     of the same kind, overdue exactly when check says it is late, and
     every overdue item of `due` of those kinds is such a finding;
  4. `status C` lists as overdue exactly as many items as `due` has
     overdue for C.
Prints each disagreement and exits 1 when there is one; else prints one
line per customer: the customer, its findings as check[severity], and its
due items as kind:days.  SALES_TODAY is taken from the environment.
"""
import collections
import json
import subprocess
import sys

sales, wb = sys.argv[1], sys.argv[2]


def run(*args):
    p = subprocess.run([sales, "-C", wb, *args], capture_output=True)
    if p.returncode not in (0, 1):
        sys.exit("sales %s: exit %d: %s" % (" ".join(args), p.returncode,
                                             p.stderr.decode()))
    return json.loads(p.stdout.decode())


def key(d):
    return (d["check"], d["severity"], d["file"], d["line"], d["column"],
            d["cell"], d["message"])


full = run("check", "--format", "json")["diagnostics"]
due = run("due", "--within", "100000", "--format", "json")
leads = [r["customer"] for r in run("lead", "list", "--format", "json")]
# and the customers a finding names that are not in 01 (rule 10): check
# --customer and status know them too
customers = list(dict.fromkeys(leads + [d["customer"] for d in full
                                        if d["customer"]]))
bad = []


def expect(ok, what):
    if not ok:
        bad.append(what)


def due_kind(d):
    """The `due` kind an open-deadline finding must appear as, with whether
    it is overdue; None for findings that are no open deadline."""
    c, sev, msg = d["check"], d["severity"], d["message"]
    if sev not in ("error", "warning"):
        return None
    if c == "screening":
        return ("screening", True)
    if c == "proposal" and "has no proposal" in msg:
        return ("proposal", True)
    if c == "payments":
        if sev == "error":
            return ("collection", True)
        return ("payment", "overdue" in msg)
    if c == "stalled":
        return ("stalled", True)
    if c == "aftersales" and "has had no after-sales follow-up since" in msg:
        return ("aftersales", True)
    return None


summary = []
for c in customers:
    mine = [d for d in full if d["customer"] == c]
    narrowed = run("check", "--format", "json", "--customer", c)["diagnostics"]
    expect([key(d) for d in narrowed] == [key(d) for d in mine],
           "%s: check --customer gives %s, check gives %s"
           % (c, [key(d) for d in narrowed], [key(d) for d in mine]))
    st = run("status", c, "--format", "json")
    expect([key(p) for p in st["problems"]] == [key(d) for d in mine],
           "%s: status Problems %s, check %s"
           % (c, [key(p) for p in st["problems"]], [key(d) for d in mine]))
    # an approval waiting on its route is not a deadline: check has no
    # finding for it (status names the approver as the next step)
    items = [i for i in due if i["customer"] == c and i["kind"] != "approval"]
    want = collections.Counter(k for k in map(due_kind, mine) if k)
    got = collections.Counter()
    for i in items:
        kind = i["kind"]
        if kind == "followup":
            # a planned visit stands for the after-sales visit it covers
            if ("aftersales", True) in want and i["days"] < 0:
                kind = "aftersales"
            else:
                continue
        if kind == "payment" and i["days"] > 3:
            continue   # past payment.remind_days (3): check is silent
        if kind in ("screening", "proposal", "stalled", "aftersales") and \
                i["days"] >= 0:
            continue   # coming up: check is silent
        got[(kind, i["days"] < 0)] += 1
    expect(want == got, "%s: check's open deadlines %s, due's %s"
           % (c, dict(want), dict(got)))
    overdue = sum(1 for a in st["agenda"] if a["kind"] == "overdue")
    expect(overdue == sum(1 for i in items if i["days"] < 0),
           "%s: status lists %d overdue, due %d" %
           (c, overdue, sum(1 for i in items if i["days"] < 0)))
    summary.append("%s %s | %s" % (
        c, " ".join("%s[%s]" % (d["check"], d["severity"]) for d in mine),
        " ".join("%s:%d" % (i["kind"], i["days"]) for i in items)))

for b in bad:
    print("DISAGREE: " + b)
if bad:
    sys.exit(1)
print("\n".join(summary))
