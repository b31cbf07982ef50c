{#- docs/purchases.md: the R x F grid. A contact with no order is a prospect. -#}
{% macro rfm_segment(r_score, f_score) %}
    case
        when {{ r_score }} is null or {{ f_score }} is null then 'prospect'
        when {{ r_score }} = 5 and {{ f_score }} = 1 then 'new_customers'
        when {{ r_score }} = 5 and {{ f_score }} in (2, 3) then 'potential_loyalists'
        when {{ r_score }} = 5 then 'champions'
        when {{ r_score }} = 4 and {{ f_score }} = 1 then 'promising'
        when {{ r_score }} = 4 and {{ f_score }} in (2, 3) then 'potential_loyalists'
        when {{ r_score }} = 4 then 'loyal_customers'
        when {{ r_score }} = 3 and {{ f_score }} in (1, 2) then 'about_to_sleep'
        when {{ r_score }} = 3 and {{ f_score }} = 3 then 'need_attention'
        when {{ r_score }} = 3 then 'loyal_customers'
        when {{ f_score }} in (1, 2) then 'hibernating'
        when {{ f_score }} in (3, 4) then 'at_risk'
        else 'cant_lose_them'
    end
{%- endmacro %}
