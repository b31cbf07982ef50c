"""The generator's vocabularies: countries, names, sources, devices, categories, event spellings,
and the options every part reads."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import numpy as np

CHUNK_CONTACTS = 20_000
"""Contacts per chunk; fixed so that the output never depends on memory settings."""

DEMO_DEFAULTS = {"seed": 42, "contacts": 2000, "days": 180, "end_date": "2026-10-31"}

TABLES = (
    "contacts",
    "events",
    "contact_tags",
    "contact_attributes",
    "suppressions",
    "erasure_requests",
    "fx_rates",
    "exclusions",
)

COUNTRIES = np.array(["DE", "FR", "NL", "GB", "US", "ES", "IT", "BE", "AT", "SE", "CH", "PL", "IN", "AU"])
COUNTRY_WEIGHTS = np.array([0.24, 0.14, 0.09, 0.11, 0.1, 0.08, 0.07, 0.04, 0.03, 0.04, 0.02, 0.04, 0.01, 0.01])
COUNTRY_INFO = {
    # country: (time zones, language, currency, utc offset in hours used for local timestamps)
    "DE": (["Europe/Berlin"], "de", "EUR", 1),
    "FR": (["Europe/Paris"], "fr", "EUR", 1),
    "NL": (["Europe/Amsterdam"], "nl", "EUR", 1),
    "GB": (["Europe/London"], "en", "GBP", 0),
    "US": (["America/New_York", "America/Chicago", "America/Los_Angeles"], "en", "USD", -5),
    "ES": (["Europe/Madrid"], "es", "EUR", 1),
    "IT": (["Europe/Rome"], "it", "EUR", 1),
    "BE": (["Europe/Brussels"], "fr", "EUR", 1),
    "AT": (["Europe/Vienna"], "de", "EUR", 1),
    "SE": (["Europe/Stockholm"], "sv", "SEK", 1),
    "CH": (["Europe/Zurich"], "de", "CHF", 1),
    "PL": (["Europe/Warsaw"], "pl", "PLN", 1),
    "IN": (["Asia/Kolkata"], "en", "USD", 5),
    "AU": (["Australia/Sydney", "Australia/Adelaide"], "en", "USD", 10),
}
ODD_TIMEZONES = np.array(["", "", "Europe/Berln", "GMT+1", "Asia/Kathmandu", "America/St_Johns"])
"""Time zones some contacts carry instead of their country's: empty, misspelt, or 45/30-minute offsets."""
CITIES = {
    "DE": ["Berlin", "Hamburg", "Munich", "Cologne"],
    "FR": ["Paris", "Lyon", "Marseille", "Lille"],
    "NL": ["Amsterdam", "Rotterdam", "Utrecht", "Eindhoven"],
    "GB": ["London", "Manchester", "Leeds", "Bristol"],
    "US": ["New York", "Chicago", "Los Angeles", "Austin"],
    "ES": ["Madrid", "Barcelona", "Valencia", "Seville"],
    "IT": ["Rome", "Milan", "Turin", "Naples"],
    "BE": ["Brussels", "Antwerp", "Ghent", "Liege"],
    "AT": ["Vienna", "Graz", "Linz", "Salzburg"],
    "SE": ["Stockholm", "Gothenburg", "Malmo", "Uppsala"],
    "CH": ["Zurich", "Geneva", "Basel", "Bern"],
    "PL": ["Warsaw", "Krakow", "Gdansk", "Wroclaw"],
    "IN": ["Mumbai", "Delhi", "Bangalore", "Pune"],
    "AU": ["Sydney", "Adelaide", "Melbourne", "Perth"],
}
FX_RATES = {"EUR": "1.0", "USD": "0.92", "GBP": "1.17", "SEK": "0.087", "PLN": "0.23"}
"""CHF is deliberately missing: Swiss revenue lands in rejected rows as missing_fx_rate."""

FIRST_NAMES = np.array(
    ["Anna", "Ben", "Clara", "David", "Emma", "Felix", "Greta", "Hugo", "Ines", "Jonas",
     "Klara", "Luca", "Mia", "Noah", "Olivia", "Paul", "Rosa", "Sam", "Tara", "Yusuf"]
)  # fmt: skip
LAST_NAMES = np.array(
    ["Muller", "Martin", "de Vries", "Smith", "Johnson", "Garcia", "Rossi", "Peeters",
     "Gruber", "Andersson", "Meier", "Kowalski", "Dubois", "Jansen", "Brown", "Lopez"]
)  # fmt: skip
DOMAINS = np.array(["gmail.com", "outlook.com", "yahoo.com", "web.de", "orange.fr", "icloud.com", "proton.me"])
DOMAIN_WEIGHTS = np.array([0.34, 0.16, 0.1, 0.12, 0.08, 0.14, 0.06])
SOURCES = np.array(["web_form", "newsletter", "store", "social", "api", "import", "sales_rep", "partner"])
SOURCE_WEIGHTS = np.array([0.32, 0.2, 0.18, 0.12, 0.05, 0.06, 0.04, 0.03])
SOURCE_SPELLINGS = {"web_form": "Web Form", "store": "STORE ", "social": "social", "newsletter": "News-Letter"}
DEVICES = np.array(["mobile", "desktop", "tablet", "other"])
DEVICE_WEIGHTS = np.array([0.55, 0.35, 0.08, 0.02])
CATEGORIES = np.array(["shoes", "apparel", "accessories", "outdoor", "home", "beauty"])
CATEGORY_WEIGHTS = np.array([0.26, 0.3, 0.14, 0.1, 0.12, 0.08])
TAGS = np.array(["eco_conscious", "vip", "newsletter_weekly", "wholesale", "runner", "gift_buyer"])
TAG_WEIGHTS = np.array([0.25, 0.05, 0.3, 0.05, 0.2, 0.15])
COLORS = np.array(["black", "white", "green", "blue", "red"])
INTERESTS = np.array(["running", "yoga", "hiking", "fashion", "cooking", "travel"])
SEARCH_TERMS = np.array(
    ["running shoes", "trail shoes", "yoga mat", "rain jacket", "gift card", "sale", "sneakers", "backpack",
     "scented candle", "face cream"]
)  # fmt: skip
TRAFFIC = [
    # (utm_source, utm_medium, utm_campaign, weight): where a site session comes from
    ("", "", "", 0.34),
    ("google", "cpc", "brand_search", 0.14),
    ("bing", "cpc", "generic_search", 0.03),
    ("google", "organic", "", 0.12),
    ("facebook", "paid_social", "autumn_sale", 0.07),
    ("instagram", "social", "", 0.08),
    ("Facebook", "Social", "", 0.02),
    ("newsletter", "email", "weekly_news", 0.1),
    ("partner_blog", "affiliate", "partner_program", 0.04),
    ("ad_network", "display", "retargeting", 0.03),
    ("forum.example.org", "referral", "", 0.03),
]
ALIASES = {
    # canonical type: spellings that real exports use for it (all in the mapping seed)
    "page_view": ["pageview", "Page View", "PAGE_VIEW"],
    "email_opened": ["open", "Email Opened", " email_opened "],
    "email_clicked": ["click", "EMAIL_CLICKED"],
    "purchase": ["order_completed", "Purchase"],
    "add_to_cart": ["cart_add", "Add To Cart"],
    "product_view": ["Product Viewed"],
    "site_search": ["search", "Products Searched"],
}
SITE = "https://shop.example.com"

OPTIONAL_EVENT_COLUMNS = (
    "campaign_id", "message_id", "order_id", "product_id", "category", "quantity", "revenue", "currency",
    "device_type", "url", "utm_source", "utm_medium", "utm_campaign", "bounce_type", "is_machine_open", "points",
    "search_term",
)  # fmt: skip
EVENT_COLUMNS = ("event_id", "contact_id", "event_type", "occurred_at", *OPTIONAL_EVENT_COLUMNS)
MAX_LATE_DAYS = 60


@dataclass(frozen=True)
class Options:
    seed: int
    contacts: int
    days: int
    end_date: dt.date
    fmt: str
    out: Path
    activity: float = 1.0
    batches: str = "none"

    @property
    def end_ts(self) -> np.datetime64:
        """First second after the data window (exclusive end), in UTC."""
        return np.datetime64(self.end_date + dt.timedelta(days=1), "s")

    @property
    def start_ts(self) -> np.datetime64:
        return self.end_ts - np.timedelta64(self.days, "D")
