"""Oberfläche: the one place the logic meets Streamlit – the page frame, the cached read-only connection pinned to
one version per run, sign-in and errors (seite), the Steuerungsgruppe views shared by pages and presentation
(sitzung), and the components (komponenten/: MapLibre map, page turning). May import every folder but cli."""
