-- The admin bot's 📈 Analytics (issue 9): the series its charts draw, live from the database.
-- Weeks start on Monday (date_trunc('week')), in the database's time zone; weeks without sales
-- or interest are there with 0, so a chart's axis has no holes.
create or replace function admin_analytics(p_weeks integer) returns jsonb
language sql stable set search_path = public, extensions as $$
  with weeks as (
    select generate_series(date_trunc('week', now()) - make_interval(weeks => least(greatest(p_weeks, 1), 52) - 1),
                           date_trunc('week', now()), interval '1 week') as week
  )
  select jsonb_build_object(
    'revenue_by_week', (select coalesce(jsonb_agg(jsonb_build_object('week', to_char(w.week, 'YYYY-MM-DD'),
        'revenue', coalesce((select sum(s.price) from sales s where s.sold_at >= w.week and s.sold_at < w.week + interval '1 week'), 0),
        'sales', (select count(*) from sales s where s.sold_at >= w.week and s.sold_at < w.week + interval '1 week'))
        order by w.week), '[]') from weeks w),
    'demand_by_week', (select coalesce(jsonb_agg(jsonb_build_object('week', to_char(w.week, 'YYYY-MM-DD'),
        'interest', (select count(*) from record_participants p
                      where p.source <> 'demo' and p.created_at >= w.week and p.created_at < w.week + interval '1 week'))
        order by w.week), '[]') from weeks w),
    'sales_by_genre', (select coalesce(jsonb_agg(jsonb_build_object('genre', g.genre, 'count', g.n) order by g.n desc, g.genre), '[]')
        from (select coalesce(s.genre, '—') as genre, count(*) as n from sales s group by 1 order by 2 desc, 1 limit 8) g),
    'demand_by_genre', (select coalesce(jsonb_agg(jsonb_build_object('genre', g.genre, 'count', g.n) order by g.n desc, g.genre), '[]')
        from (select coalesce(r.genre, '—') as genre, count(*) as n
                from record_participants p join records r on r.id = p.record_id
               where p.source <> 'demo' and r.deleted_at is null
               group by 1 order by 2 desc, 1 limit 8) g),
    'funnel', jsonb_build_object(
      'requests', (select count(*) from record_participants p where p.source <> 'demo'),
      'procurement', (select count(*) from record_participants p join records r on r.id = p.record_id
                       where p.source <> 'demo' and r.status in ('procurement', 'available', 'reserved', 'sold')),
      'offers', (select count(*) from offers o where o.notified_at is not null),
      'sales', (select count(*) from offers o where o.status = 'converted'))
  )
$$;

select app_restrict_functions();
insert into app_schema_versions (version) values ('20261202003100') on conflict do nothing;
