-- The kept revenue totals hold the sum of any book (docs/business-rules.md "Forecast and
-- retention").
--
-- What and why: a customer's ARR may be up to 999 999 999 999.99 (numeric(14, 2)), but the
-- totals kept over a whole organisation (the forecast's month and book totals, the
-- retention figures, cache and state) were numeric(16, 2), so a hundred customers at the
-- largest ARR filled them. An attacker's review did just that, after which a renewal
-- outcome within the documented range answered the database's own "numeric field
-- overflow" (22003), and so did every later ARR increase of the organisation. The totals
-- are now numeric(24, 2): ten million customers at the largest ARR still fit. Widening a
-- numeric's precision at the same scale rewrites no table.
alter table app.forecast_month_totals
  alter column current_arr type numeric(24, 2),
  alter column forecast_arr type numeric(24, 2);
alter table app.forecast_book_totals
  alter column current_arr type numeric(24, 2),
  alter column forecast_arr type numeric(24, 2);
alter table app.retention_figures
  alter column starting_arr type numeric(24, 2),
  alter column expansion type numeric(24, 2),
  alter column contraction type numeric(24, 2),
  alter column churn type numeric(24, 2);
alter table app.retention_cache
  alter column starting_arr type numeric(24, 2),
  alter column expansion type numeric(24, 2),
  alter column contraction type numeric(24, 2),
  alter column churn type numeric(24, 2);
alter table app.retention_state
  alter column arr type numeric(24, 2);
