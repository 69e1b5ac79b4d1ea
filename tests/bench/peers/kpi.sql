-- The six KPIs of SPEC §6 for one quarter and the same quarter a year
-- earlier, as `sales report` computes them (libsales/kpi.c), in SQL that
-- DuckDB and sqlite3 both run.  The tables l01, c04 and f07 hold the sheets
-- as text (column names are the simplified headers), rowid in file order;
-- `periods(p, f, l, a)` holds each period's first and
-- last day and its as-of date, as day numbers.  `pd(x)` is each engine's
-- date parser (every form of SPEC §3), substituted before running.
--
-- Output: metric, actual, before (NULL when a denominator is 0).
WITH
leads AS (
  SELECT name, reg, closed FROM (
    SELECT trim("客户名称") AS name,
           pd("登记日期") AS reg,
           CASE WHEN trim("客户状态") = '已丢单' THEN pd("最后跟进时间") END AS closed,
           row_number() OVER (PARTITION BY trim("客户名称") ORDER BY rowid) AS k
    FROM l01 WHERE trim(coalesce("客户名称", '')) <> '')
  WHERE k = 1),
signed AS (
  SELECT trim("客户名称") AS name, pd("签订日期") AS s,
         CAST("合同金额(万元)" AS DOUBLE) AS amount,
         pd("付款到期日") AS due, pd("回款日期") AS paid
  FROM c04
  WHERE trim("审批状态") = '已审批' AND pd("签订日期") IS NOT NULL),
first_signed AS (SELECT name, min(s) AS s FROM signed GROUP BY name),
fu AS (
  SELECT d, CAST(sat AS DOUBLE) AS sat FROM (
    SELECT max(d0) OVER (PARTITION BY g) AS d, sat FROM (
      SELECT pd("跟进时间") AS d0, "满意度" AS sat,
             sum(CASE WHEN trim(coalesce("客户名称", '')) <> '' THEN 1 ELSE 0 END)
               OVER (ORDER BY rowid ROWS UNBOUNDED PRECEDING) AS g
      FROM f07))
  WHERE trim(coalesce(sat, '')) <> ''),
m AS (
  SELECT p.p,
    (SELECT CAST(count(fs.s) FILTER (WHERE fs.s <= p.a) AS DOUBLE) / nullif(count(*), 0)
       FROM leads l LEFT JOIN first_signed fs ON fs.name = l.name
      WHERE l.reg BETWEEN p.f AND p.l AND l.reg <= p.a) AS conversion,
    (SELECT avg(amount) FROM signed WHERE s BETWEEN p.f AND p.l AND s <= p.a) AS deal_size,
    (SELECT avg(s.s - l.reg) FROM signed s JOIN leads l ON l.name = s.name
      WHERE s.s BETWEEN p.f AND p.l AND s.s <= p.a AND l.reg IS NOT NULL) AS cycle,
    (SELECT CAST(count(*) FILTER (WHERE sat >= 4) AS DOUBLE) / nullif(count(*), 0)
       FROM fu WHERE d BETWEEN p.f AND p.l AND d <= p.a AND sat BETWEEN 1 AND 5) AS satisfaction,
    (SELECT CAST(w AS DOUBLE) / nullif(w + lost, 0) FROM
       (SELECT (SELECT count(*) FROM signed WHERE s BETWEEN p.f AND p.l AND s <= p.a) AS w,
               (SELECT count(*) FROM leads WHERE closed BETWEEN p.f AND p.l AND closed <= p.a) AS lost)) AS win_rate,
    (SELECT CAST(count(*) FILTER (WHERE paid IS NOT NULL AND paid <= due AND paid <= p.a) AS DOUBLE)
            / nullif(count(*), 0)
       FROM signed WHERE s <= p.a AND due BETWEEN p.f AND p.l) AS collection
  FROM periods p)
SELECT '线索转化率' AS metric, n.conversion AS actual, b.conversion AS before FROM m n, m b WHERE n.p = 0 AND b.p = 1
UNION ALL SELECT '平均客单价(万元)', n.deal_size, b.deal_size FROM m n, m b WHERE n.p = 0 AND b.p = 1
UNION ALL SELECT '销售周期(天)', n.cycle, b.cycle FROM m n, m b WHERE n.p = 0 AND b.p = 1
UNION ALL SELECT '客户满意度', n.satisfaction, b.satisfaction FROM m n, m b WHERE n.p = 0 AND b.p = 1
UNION ALL SELECT '赢单率', n.win_rate, b.win_rate FROM m n, m b WHERE n.p = 0 AND b.p = 1
UNION ALL SELECT '回款率', n.collection, b.collection FROM m n, m b WHERE n.p = 0 AND b.p = 1;
