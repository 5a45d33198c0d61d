"""Altair charts, one per function; data comes aggregated from kam query functions."""
