"""Statistik: the rules behind every verdict the Sozialmonitor gives – published precision (genauigkeit), intervals
(intervalle), the reliability rule for small areas (belastbarkeit), significance of changes and the recent trend
(signifikanz), forecasts with prediction intervals (prognose), progress and deadline verdicts (urteil), the
certainty of a status by parametric bootstrap (sicherheit), the evaluation of every target × area (bewertung), the
conversion of values from former areas (gebietsstand) and the method text in German (methode).

Public entry points other modules (the goal page, the map page, the Steckbrief, the Sitzungsvorlage) use:
    genauigkeit.runden, genauigkeit.erfuellt                  – compare at published precision
    intervalle.wilson, intervalle.z_wert, intervalle.NIVEAUS  – Wilson interval at 95 % / 99,8 %
    intervalle.fallzahlen                                     – the counts of a value (mean month of an average)
    intervalle.abstand                                        – a rate's interval against a benchmark value
    belastbarkeit.Regel, belastbarkeit.nicht_belastbar        – the per-indicator reliability rule
    signifikanz.veraenderung_test                             – two-proportion test of a change
    signifikanz.trendtest, signifikanz.juengster_trend        – chi-square test for trend, recent-trend marker
    prognose.prognose                                         – log-linear forecast with 95 % prediction interval
    urteil.urteile                                            – progress status / deadline verdict of a curve
    sicherheit.ziehungen                                      – parametric bootstrap draws of a series
    bewertung.evaluate                                        – every target × area (the goal page's table)
Nothing here imports Streamlit.

May import: basis."""
