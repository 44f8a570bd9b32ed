// Computed-trait aggregates move into the profile row itself, as one compact jsonb map `traits`
// whose keys say what they count: `d:2026-11-25:view` (events per day and type; days older than
// 90 pruned as the row is written), `h:37` (hour of week), `l:fr` (language) and
// `a:category:sport` (affinity weight, expressed as of `affinities_as_of`, decayed with the
// half-life when read: the same numbers per-row `as_of` gave, since decay is multiplicative).
//
// Why: every ingested event upserted ~6 rows across five tables (each a heap write plus a
// primary-key probe and often a new index entry). Now a batch writes one row per touched profile,
// usually a HOT update (profiles has only its primary key, fillfactor 70), in one statement of
// `profile_traits_add` (plan cached). A profile read is one primary-key lookup.
//
// Why one map: the merge runs per row as a correlated subquery over the batch's keys for that
// profile, and each such subquery costs ~8 µs per row however few keys it reads (a function scan
// rescan); one map means one. For the same reason `affinities_as_of` is an anchor that stays put
// (the first affinity's time): new weights are scaled to it (2^(Δt/half-life)) instead of every
// stored weight being decayed to the newest time, so a merge reads only the keys the batch brings.
// float8 covers ±1000 half-lives (38 years) around the anchor. Sentiment stays in
// `profile_sentiment` (written by its consumer).
import { type Kysely, sql } from 'kysely'

const dropped = ['profile_daily_counts', 'profile_affinities', 'profile_hours', 'profile_languages']

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table profiles
      add column traits jsonb not null default '{}',
      add column affinities_as_of timestamptz`.execute(db)

  // Existing aggregates (every aggregate row has its profile; the insert is a safety net).
  await sql`
    insert into profiles (user_id)
    select user_id from profile_daily_counts union select user_id from profile_affinities
    union select user_id from profile_hours union select user_id from profile_languages
    on conflict (user_id) do nothing`.execute(db)
  await sql`
    update profiles p set traits = t.doc, affinities_as_of = t.as_of
    from (
      select user_id, jsonb_object_agg(k, v) as doc, max(as_of) as as_of from (
        select user_id, 'd:' || to_char(day, 'YYYY-MM-DD') || ':' || event_type as k, count::float8 as v, null::timestamptz as as_of
        from profile_daily_counts where day >= current_date - 90
        union all
        select user_id, 'h:' || hour_of_week, count, null from profile_hours
        union all
        select user_id, 'l:' || language, count, null from profile_languages
        union all
        select user_id, 'a:' || kind || ':' || value, weight * power(0.5, extract(epoch from (t - as_of))::float8 / 1209600), t
        from (select *, max(as_of) over (partition by user_id) as t from profile_affinities) x
      ) e group by user_id
    ) t
    where t.user_id = p.user_id`.execute(db)
  for (const t of dropped) await sql`drop table ${sql.id(t)}`.execute(db)

  // One statement per batch: p_rows is a JSON array of {u, f, l, c, t} (profile, first and last
  // seen, the batch's map in the format above, and the time its affinity weights are as of), one
  // per profile. Rows are locked in profile-id order, so concurrent batches cannot deadlock.
  // Existing rows: stale days are dropped when the row was last written on an earlier day (its
  // updated_at), then each key the batch brings is added (affinities scaled to the row's anchor).
  await sql`
    create or replace function profile_traits_add(p_rows jsonb, p_now timestamptz, p_days_from text, p_half_life_s float8) returns void
    language plpgsql set search_path from current as $fn$
    declare
      day_start timestamptz := (p_days_from::date + 90)::timestamp at time zone 'UTC';
    begin
      insert into profiles as p (user_id, first_seen, last_seen, updated_at, traits, affinities_as_of)
      select x.u, x.f, x.l, p_now, coalesce(x.c, '{}'), x.t
      from jsonb_to_recordset(p_rows) as x(u text, f timestamptz, l timestamptz, c jsonb, t timestamptz)
      order by x.u collate "C"
      on conflict (user_id) do update set
        first_seen = least(p.first_seen, excluded.first_seen),
        last_seen = greatest(p.last_seen, excluded.last_seen),
        updated_at = excluded.updated_at,
        traits = case when p.updated_at >= day_start then p.traits
                      else p.traits - array(select k from jsonb_object_keys(p.traits) k
                                            where left(k, 2) = 'd:' and k < ('d:' || p_days_from) collate "C") end
                 || coalesce((select jsonb_object_agg(e.key, coalesce((p.traits ->> e.key)::float8, 0) + e.value::float8 * case
                                when left(e.key, 2) = 'a:' and p.affinities_as_of is not null
                                then power(2::float8, extract(epoch from (excluded.affinities_as_of - p.affinities_as_of))::float8 / p_half_life_s)
                                else 1 end)
                              from jsonb_each_text(excluded.traits) e), '{}'),
        affinities_as_of = coalesce(p.affinities_as_of, excluded.affinities_as_of);
    end
    $fn$`.execute(db)

  // The read (0006) over the new row: one primary-key lookup plus the merged ids, sentiment and
  // custom trait definitions.
  await sql`
    create or replace function profile_read(p_id text) returns json
    language plpgsql stable set search_path from current as $fn$
    begin
      return (
        select json_build_object(
          'userId', p.user_id,
          'attributes', p.attributes,
          'firstSeen', p.first_seen,
          'lastSeen', p.last_seen,
          -- As text: its keys are data, and the kit's CamelCasePlugin rewrites keys of objects.
          'traits', p.traits::text,
          'affinitiesAsOf', p.affinities_as_of,
          'merged', (select coalesce(json_agg(i.anonymous_id order by i.merged_at), '[]')
                     from identity_links i where i.user_id = p.user_id),
          'sentiment', (select json_build_object('samples', s.samples, 'compoundSum', s.compound_sum, 'emotions', s.emotions)
                        from profile_sentiment s where s.user_id = p.user_id),
          'definitions', (select coalesce(json_agg(json_build_object('name', t.name, 'kind', t.kind, 'property', t.property,
                            'windowDays', t.window_days, 'eventTypes', t.event_types, 'filter', t.filter) order by t.name), '[]')
                          from trait_definitions t)
        )
        from profiles p
        where p.user_id = coalesce((select l.user_id from identity_links l where l.anonymous_id = p_id), p_id)
      );
    end
    $fn$`.execute(db)
}
