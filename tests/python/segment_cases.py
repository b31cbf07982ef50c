"""Inside/outside cases for every default segment (stated inputs and expected membership).

Each case: segment name, the contact_features values of a contact just inside, of one
just outside, and why. Every contact is email-sendable unless a case says otherwise.
"""

from __future__ import annotations

from typing import Any

Case = tuple[str, dict[str, Any], dict[str, Any], str]

CASES: list[Case] = [
    ("welcome_web_form", {"acquisition_source": "web_form", "days_since_created": 13},
     {"acquisition_source": "web_form", "days_since_created": 14}, "web-form sign-up 13 days ago in, 14 out"),
    ("welcome_store", {"acquisition_source": "store", "days_since_created": 13},
     {"acquisition_source": "store", "days_since_created": 14}, "store sign-up 13 days ago in, 14 out"),
    ("welcome_online_only", {"acquisition_source": "social", "days_since_created": 13, "lifetime_orders": 0},
     {"acquisition_source": "social", "days_since_created": 13, "lifetime_orders": 1}, "no order in, one order out"),
    ("engaged", {"email_engagement_status": "engaged"}, {"email_engagement_status": "lapsing"}, "engaged in"),
    ("lapsing", {"email_engagement_status": "lapsing"}, {"email_engagement_status": "dormant"}, "lapsing in"),
    ("dormant", {"email_engagement_status": "dormant"}, {"email_engagement_status": "never_engaged"}, "dormant in"),
    ("never_engaged", {"email_engagement_status": "never_engaged"}, {"email_engagement_status": "no_email_history"},
     "never_engaged in"),
    ("high_lead_score", {"lead_score": 50}, {"lead_score": 49.99}, "50.00 in, 49.99 out"),
    ("new_customers", {"customer_status": "new"}, {"customer_status": "active"}, "new in"),
    ("active_customers", {"customer_status": "active"}, {"customer_status": "loyal"}, "active in"),
    ("loyal_customers", {"customer_status": "loyal"}, {"customer_status": "active"}, "loyal in"),
    ("inactive_customers", {"customer_status": "inactive"}, {"customer_status": "churned"}, "inactive in"),
    ("churned_customers", {"customer_status": "churned", "is_email_sendable": False}, {"customer_status": "inactive"},
     "churned in even when not sendable: not an email audience"),
    ("rfm_champions", {"rfm_segment": "champions"}, {"rfm_segment": "loyal_customers"}, "champions in"),
    ("rfm_loyal", {"rfm_segment": "loyal_customers"}, {"rfm_segment": "champions"}, "loyal_customers in"),
    ("rfm_at_risk", {"rfm_segment": "at_risk"}, {"rfm_segment": "cant_lose_them"}, "at_risk in"),
    ("rfm_cant_lose_them", {"rfm_segment": "cant_lose_them"}, {"rfm_segment": "at_risk"}, "cant_lose_them in"),
    ("rfm_hibernating", {"rfm_segment": "hibernating"}, {"rfm_segment": "about_to_sleep"}, "hibernating in"),
    ("cart_abandoners", {"has_abandoned_cart": True}, {"has_abandoned_cart": False}, "abandoned cart in"),
    ("browse_abandoners", {"has_abandoned_browse": True, "has_abandoned_cart": False},
     {"has_abandoned_browse": True, "has_abandoned_cart": True}, "browse in, unless a cart is abandoned too"),
    ("vip", {"monetary_percentile": 0.91}, {"monetary_percentile": 0.9}, "percentile 0.91 in, exactly 0.9 out"),
    ("likely_churned_buyers", {"p_alive": 0.29, "frequency": 2}, {"p_alive": 0.3, "frequency": 2},
     "two orders and p_alive 0.29 in, exactly 0.3 out"),
    ("high_predicted_value", {"predicted_clv_percentile": 0.91}, {"predicted_clv_percentile": 0.9},
     "percentile 0.91 in, exactly 0.9 out"),
    ("likely_to_buy_soon", {"expected_orders_30d": 0.51}, {"expected_orders_30d": 0.5}, "0.51 in, exactly 0.5 out"),
    ("likely_to_purchase_30d", {"purchase_propensity_30d": 0.3}, {"purchase_propensity_30d": 0.29},
     "exactly 0.3 in, 0.29 out"),
    ("birthday_this_month", {"is_birthday_month": True}, {"is_birthday_month": False}, "birthday month in"),
    ("birthday_today", {"is_birthday_today_local": True}, {"is_birthday_today_local": False, "is_birthday_month": True},
     "birthday today (local) in; this month but not today out"),
    ("mobile_first", {"preferred_device": "mobile"}, {"preferred_device": "tablet"}, "mobile in, tablet out"),
    ("dach_region", {"country": "CH"}, {"country": "LI"}, "Switzerland in, Liechtenstein out"),
    ("apple_cart_abandoners", {"has_abandoned_cart": True, "has_machine_opens": True},
     {"has_abandoned_cart": True, "has_machine_opens": False}, "cart abandoner with Apple Mail opens in"),
    ("eco_conscious", {"tags": ["eco_conscious"]}, {"tags": ["vip"], "attr_interests": ["running"]},
     "tag eco_conscious in; other tags and interests out"),
    ("loyalty_points_to_spend", {"loyalty_points_balance": 200}, {"loyalty_points_balance": 199},
     "a balance of 200 in, 199 out"),
    ("visitors_from_social_30d", {"visited_channels_30d": ["direct", "paid_social"]},
     {"visited_channels_30d": ["direct", "organic_search"]}, "a paid social visit in; search and direct out"),
    ("paid_search_visitors_30d", {"visited_channels_30d": ["paid_search"]},
     {"visited_channels_30d": ["organic_search", "paid_social"]}, "paid search in; organic search out"),
    ("browsing_shoes_30d", {"viewed_categories_30d": ["bags", "shoes"]}, {"viewed_categories_30d": ["bags"]},
     "shoes among the viewed categories in; bags alone out"),
    # recent_shoe_buyers is decided by events: see SHOE_EVENTS.
    ("recent_shoe_buyers", {}, {}, "a 30.00 shoe line 6 days ago in; 7 days ago out"),
    # lapsed_buyers is decided by events: see LAPSED_EVENTS.
    ("lapsed_buyers", {}, {}, "a purchase 90 days ago in; one 89 days ago (also) out"),
    # Sequences, habits and returns are decided by events: see EVENT_CASES.
    ("viewed_not_carted_48h", {}, {},
     "a view 2 days ago with no cart in; a view 2 days ago carted 48 hours later out"),
    ("opened_then_bought_7d", {}, {}, "a purchase 7 days after an open in; 7 days and a second out"),
    ("monthly_buyers_3_of_6", {}, {}, "purchases in Oct, Dec, Feb in; in Sep, Dec, Feb (Sep is 7 months back) out"),
    ("returned_after_60d", {}, {}, "a purchase 60 days after the last in; 59 days after out"),
    ("shoe_big_spenders", {}, {}, "shoe lines of 60 and 100.02 in (avg 80.01); 60 and 100 out (avg 80)"),
]  # fmt: skip

AS_OF = "2026-03-31"

# Events for the recent_shoe_buyers case (contact ids are rewritten per case).
SHOE_EVENTS = {
    "IN": {"event_type": "purchase", "category": "shoes", "revenue_reporting": 30.00,
           "occurred_at": "2026-03-25 00:00:00"},
    "OUT": {"event_type": "purchase", "category": "shoes", "revenue_reporting": 30.00,
            "occurred_at": "2026-03-24 23:59:59"},
}  # fmt: skip

# Events for the lapsed_buyers case: between_days [90, 365] and none in the last 90 days.
# As of 2026-03-31, 90 days ago is 2025-12-31 (days_since 90); 2026-01-01 is 89 days ago.
LAPSED_EVENTS = {
    "IN": [{"event_type": "purchase", "occurred_at": "2025-12-31 23:59:59"},
           {"event_type": "purchase", "occurred_at": "2025-04-01 00:00:00"}],  # 364 days ago: inside too
    "OUT": [{"event_type": "purchase", "occurred_at": "2025-12-31 12:00:00"},
            {"event_type": "purchase", "occurred_at": "2026-01-01 00:00:00"}],  # bought again in the last 90
}  # fmt: skip

# Events of the sequence, habit and return cases, by segment and IN/OUT. As of 2026-03-31 the
# last 6 whole months are October 2025 to March 2026.
EVENT_CASES: dict[str, dict[str, list[dict[str, Any]]]] = {
    "viewed_not_carted_48h": {
        "IN": [{"event_type": "product_view", "occurred_at": "2026-03-29 08:00:00"}],
        "OUT": [{"event_type": "product_view", "occurred_at": "2026-03-29 08:00:00"},
                {"event_type": "add_to_cart", "occurred_at": "2026-03-31 08:00:00"}],
    },
    "opened_then_bought_7d": {
        "IN": [{"event_type": "email_opened", "occurred_at": "2026-03-10 12:00:00", "is_machine_open": False},
               {"event_type": "purchase", "occurred_at": "2026-03-17 12:00:00"}],
        "OUT": [{"event_type": "email_opened", "occurred_at": "2026-03-10 12:00:00", "is_machine_open": False},
                {"event_type": "purchase", "occurred_at": "2026-03-17 12:00:01"}],
    },
    "monthly_buyers_3_of_6": {
        "IN": [{"event_type": "purchase", "occurred_at": "2025-10-01 00:00:00"},
               {"event_type": "purchase", "occurred_at": "2025-12-15 00:00:00"},
               {"event_type": "purchase", "occurred_at": "2026-02-28 23:59:59"}],
        "OUT": [{"event_type": "purchase", "occurred_at": "2025-09-30 23:59:59"},
                {"event_type": "purchase", "occurred_at": "2025-12-15 00:00:00"},
                {"event_type": "purchase", "occurred_at": "2026-02-28 23:59:59"}],
    },
    "shoe_big_spenders": {
        "IN": [{"event_type": "purchase", "category": "shoes", "revenue_reporting": 60,
                "occurred_at": "2026-01-10 09:00:00"},
               {"event_type": "purchase", "category": "shoes", "revenue_reporting": 100.02,
                "occurred_at": "2026-03-01 09:00:00"},
               {"event_type": "purchase", "category": "bags", "revenue_reporting": 10,
                "occurred_at": "2026-03-01 09:00:00"}],
        "OUT": [{"event_type": "purchase", "category": "shoes", "revenue_reporting": 60,
                 "occurred_at": "2026-01-10 09:00:00"},
                {"event_type": "purchase", "category": "shoes", "revenue_reporting": 100,
                 "occurred_at": "2026-03-01 09:00:00"},
                {"event_type": "purchase", "category": "shoes", "revenue_reporting": 500,
                 "occurred_at": "2025-10-02 23:59:59"}],  # the 180 days are 3 Oct to 31 Mar
    },
    "returned_after_60d": {
        "IN": [{"event_type": "purchase", "occurred_at": "2026-01-25 09:00:00"},
               {"event_type": "purchase", "occurred_at": "2026-03-26 09:00:00"}],
        "OUT": [{"event_type": "purchase", "occurred_at": "2026-01-26 09:00:00"},
                {"event_type": "purchase", "occurred_at": "2026-03-26 09:00:00"}],
    },
}  # fmt: skip
