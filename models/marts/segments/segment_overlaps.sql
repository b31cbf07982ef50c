-- Audience overlaps as of as_of (docs/segments.md "Overlaps"): for every ordered
-- pair of segments, the members of each, of both, and the Jaccard index. Members
-- are audience members (holdouts and, for email audiences, contacts who may not
-- be emailed are not members).
-- Contacts are first counted per combination of memberships (tens of thousands
-- at 1M contacts), and the pairs come from a self-join of those combinations, not
-- of every contact's memberships (docs/decisions.md).
{%- set membership_columns = [] %}
{%- for segment in segment_definitions() %}
    {%- do membership_columns.append('seg_' ~ segment.name) %}
{%- endfor %}

with

contact_segments as (
    select * from {{ ref('contact_segments') }}
),

combination_counts as (
    select
        {%- for column in membership_columns %}
            {{ column }},
        {%- endfor %}
        count(*) as contacts
    from contact_segments
    {%- if membership_columns %}
        group by {{ membership_columns | join(', ') }}
    {%- endif %}
),

combinations as (
    select
        row_number() over (order by {{ (membership_columns or ['contacts']) | join(', ') }}) as combination_id,
        *
    from combination_counts
),

memberships as (
    {{ segment_memberships_sql('combinations', columns=['combination_id', 'contacts']) }}
),

segment_names as (
    {{ segment_names_sql() }}
),

sizes as (
    select
        segment,
        sum(contacts) as members
    from memberships
    group by segment
),

shared as (
    select
        memberships_a.segment as segment_a,
        memberships_b.segment as segment_b,
        sum(memberships_a.contacts) as members_both
    from memberships as memberships_a
    inner join memberships as memberships_b on memberships_a.combination_id = memberships_b.combination_id
    group by memberships_a.segment, memberships_b.segment
),

pairs as (
    select
        names_a.segment as segment_a,
        names_b.segment as segment_b,
        coalesce(sizes_a.members, 0) as members_a,
        coalesce(sizes_b.members, 0) as members_b,
        coalesce(shared.members_both, 0) as members_both
    from segment_names as names_a
    cross join segment_names as names_b
    left join sizes as sizes_a on names_a.segment = sizes_a.segment
    left join sizes as sizes_b on names_b.segment = sizes_b.segment
    left join shared on names_a.segment = shared.segment_a and names_b.segment = shared.segment_b
),

final as (
    select
        segment_a || ' & ' || segment_b as segment_pair,
        {{ as_of_date_sql() }} as as_of_date,
        segment_a,
        segment_b,
        members_a,
        members_b,
        members_both,
        case
            when members_a + members_b - members_both > 0
                then cast(members_both as {{ type_double() }}) / (members_a + members_b - members_both)
        end as jaccard
    from pairs
)

select * from final
