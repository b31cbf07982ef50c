-- docs/activity.md "Traffic channels": the channel of every traffic source the
-- per-contact state holds ('<utm_source>|<utm_medium>', lower-cased, of page views
-- and of the first and last touches): the channel of the first rule of
-- channel_groupings, by rule_order, whose source and medium patterns both match
-- the whole value (the seed writes .* for "any"; an empty pattern, null or '',
-- matches anything too); unassigned when none does.
-- Read on every run, so an edited rule applies to the whole history at once.

with

trait_days as (
    select * from {{ ref('int_contact_trait_days') }}
),

touches as (
    select * from {{ ref('int_contact_site_touches') }}
),

groupings as (
    select * from {{ ref('channel_groupings') }}
),

visit_sources as (
    select trait_value as visit_source
    from trait_days
    where trait = 'visit_source'
    union
    select {{ touch_visit_source('first_page_view_touch') }} as visit_source from touches
    union
    select {{ touch_visit_source('last_page_view_touch') }} as visit_source from touches
),

matches as (
    select
        visit_sources.visit_source,
        groupings.channel,
        row_number() over (partition by visit_sources.visit_source order by groupings.rule_order) as match_rank
    from visit_sources
    inner join groupings
        on (
            coalesce(groupings.source_pattern, '') = ''
            or {{ regex_full_match("split_part(visit_sources.visit_source, '|', 1)", 'groupings.source_pattern') }}
        )
        and (
            coalesce(groupings.medium_pattern, '') = ''
            or {{ regex_full_match("split_part(visit_sources.visit_source, '|', 2)", 'groupings.medium_pattern') }}
        )
),

final as (
    select
        visit_sources.visit_source,
        coalesce(matches.channel, 'unassigned') as channel
    from visit_sources
    left join matches on visit_sources.visit_source = matches.visit_source and matches.match_rank = 1
)

select * from final
