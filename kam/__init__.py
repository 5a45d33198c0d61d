"""KAM dashboard: the product's logic, importable without Streamlit (except ``kam.ui``)."""
