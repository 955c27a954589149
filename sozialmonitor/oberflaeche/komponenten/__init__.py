"""Streamlit components of the app (Custom Components v2, inline JS/CSS, no iframe, no build step)."""
