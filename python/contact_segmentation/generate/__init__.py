"""Synthetic raw landing data for the warehouse (`segments generate`), split by what it makes."""
