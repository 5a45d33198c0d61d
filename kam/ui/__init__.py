"""Streamlit-facing helpers: the page frame, cached loaders and shared widgets."""
