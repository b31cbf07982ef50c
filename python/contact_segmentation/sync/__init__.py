"""Reverse ETL: `segments sync` sends segment members straight to an email platform's API."""
