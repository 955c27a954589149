"""The rules of the goal evaluation in plain German, as the goal page shows them ("So wird gerechnet"). Every rule
of statistik.* is described here; change the text together with the rule."""

from sozialmonitor import fmt
from sozialmonitor.statistik import belastbarkeit, sicherheit, signifikanz
from sozialmonitor.statistik.urteil import AUF_KURS_AB, MAESSIG_AB


def _prozent(anteil: float, stellen: int = 0) -> str:
    return f"{fmt.zahl(100 * anteil, stellen)} %"


def methode(niveau: float = 0.95) -> str:
    """The method text (Markdown) for the chosen level of 'gesichert' (0.95 or 0.998)."""
    stufe = _prozent(niveau, 1 if niveau > 0.99 else 0)
    return f"""
**Welcher Wert zählt?** Für jedes Ziel und jedes Gebiet der Jahreswert des Fristjahres, wenn die Frist vorüber
ist (wird das Ziel erst in einem späteren Jahr erreicht, steht „später erreicht (Jahr)“ dabei), vor der Frist der
letzte Jahreswert – bei Monatsdaten der
Jahresdurchschnitt (Summe der Arbeitslosen aller Monate geteilt durch die Summe der Bezugsgrößen, wie bei der
Bundesagentur für Arbeit). Ein Jahr, in dem Monate fehlen, wird nicht stillschweigend gemittelt: bewertet wird das
letzte vollständige Jahr, das unvollständige wird als Hinweis genannt. Gibt es nur veröffentlichte **Monatsquoten
ohne Zähler und Nenner**, ist der Jahreswert das Mittel der Monatsquoten – das ist **nicht** der
BA-Jahresdurchschnitt und wird als Näherung gekennzeichnet („≈“, „Mittel der Monatsquoten, nicht
BA-Jahresdurchschnitt“). Ein Jahr, das sich nicht berechnen lässt (ein Teilgebiet vom Lieferanten gesperrt oder
ohne Angabe) oder das der Geheimhaltung unterliegt („geheim“), wird in der Tabelle genannt („Ohne Wert“) und nicht
still durch ein früheres Jahr ersetzt. Fehlt einem Kreis- oder Sozialraumwert eine bewohnte Gemeinde ganz (keine
Daten importiert), nennt der Hinweis sie; ein Ziel über alle Gebiete ist erst erreicht, wenn alle einen Wert haben.

**Genauigkeit des Vergleichs:** Verglichen wird mit der Genauigkeit, mit der der Indikator veröffentlicht wird
(Nachkommastellen im Indikatorenkatalog; die Bundesagentur veröffentlicht Quoten mit einer Nachkommastelle,
kaufmännisch gerundet). 6,96 % wird als 7,0 % veröffentlicht – und 7,0 % ist nicht „unter 7 %“. Ein Ziel kann eine
eigene Genauigkeit festlegen (`vergleich_genauigkeit` in der Zieldatei); die Tabelle zeigt die Werte genau so
gerundet, wie sie verglichen werden. Was angezeigt und was bewertet wird, widerspricht sich nie.

**Erreicht?** Der Wert wird mit der Schwelle verglichen (z. B. „unter 7 %“) oder – bei Zielen wie „auf dem Niveau
des Bundesdurchschnitts“ – mit dem Wert des Vergleichsgebiets **im selben Jahr**.

**Fortschritt bis zur Frist:** Wie schnell hat sich der Wert seit
dem Basisjahr jährlich verändert, und wie schnell hätte er sich verändern müssen, um das Ziel bis zur Frist zu
erreichen? Das Verhältnis der beiden Raten ergibt den Status:
- **↑ auf Kurs**: mindestens {_prozent(AUF_KURS_AB)} des nötigen Tempos,
- **↗ mäßiger Fortschritt**: {_prozent(MAESSIG_AB)} bis {_prozent(AUF_KURS_AB)},
- **→ zu langsam**: in die richtige Richtung, aber unter {_prozent(MAESSIG_AB)} – oder **gar keine Bewegung**
  (ein Wert, der jedes Jahr genau auf einer strengen Schwelle liegt, etwa 15,0 % bei „unter 15 %“, ist zu langsam,
  nicht „entfernt sich“),
- **↓ entfernt sich vom Ziel**: eine Veränderung in die falsche Richtung.
- **• kein Trend (nur ein Jahr)**: Es gibt nur ein Jahr (seit dem Basisjahr). Es wird gegen das Ziel geprüft –
  erreicht oder nicht –, ein Tempo lässt sich aus einem Jahr nicht ablesen.

Bei einer Schwelle wird die durchschnittliche jährliche Wachstumsrate verwendet. Ist der Wert im Basisjahr **0**
(oder das Ziel 0), gibt es keine Wachstumsrate: dann zählt die lineare jährliche Veränderung. Bei einem
Vergleichsgebiet zählt der **Abstand** zu dessen Wert (Ziel: Abstand 0), bei „in 6 Sozialräumen“ die **Zahl der
Gebiete**, die das Ziel erfüllen; beide mit der linearen jährlichen Veränderung. Fehlt im Basisjahr ein Wert,
beginnt der Trend im ersten späteren Jahr mit Wert.

**Nach der Frist** zählt nur noch der Wert **im Jahr der Frist**: ✔ erreicht oder ✖ **nicht erreicht zur Frist**.
Ein späteres Jahr ersetzt ihn nicht; hat ein späteres Jahr das Ziel erreicht, steht „später erreicht (Jahr)“
daneben. Gibt es für das Jahr der Frist keinen Wert, heißt es **? zur Frist nicht entscheidbar** – es wird nicht
geraten. Die Übersicht zählt die Ziele nach diesen Urteilen.

**Prognose:** Bis zur Frist wird die eigene Reihe des Gebiets fortgeschrieben – mit einer Regression auf den
Logarithmus der Werte über **alle Jahre seit dem Basisjahr** (nicht nur zwei Endpunkte), also mit der
durchschnittlichen jährlichen Veränderungsrate. Daneben steht das **95-%-Prognoseintervall** (t-Verteilung): der
Bereich, in dem der Wert zur Frist bei gleichbleibendem Trend mit 95 % Wahrscheinlichkeit liegt. Mit nur zwei
Jahren gibt es kein Intervall; eine Reihe mit einer 0 wird linear fortgeschrieben. Bei einem Ziel mit
Vergleichsgebiet werden **das Gebiet und das Vergleichsgebiet je für sich** fortgeschrieben und dann verglichen.

**Wie sicher ist der Status?** Auch eine Vollzählung schwankt zufällig. Für jedes Gebiet wird der Status
{fmt.zahl(sicherheit.ZIEHUNGEN)}-mal neu berechnet, jedes Mal mit neu gezogenen Fallzahlen (parametrischer
Bootstrap: Binomialverteilung für Anteile mit Zähler und Nenner, Poisson-Verteilung für Raten von Ereignissen,
deren Zähler den Nenner übersteigen kann; fester Startwert, daher bei jedem Aufruf gleich). Der Anteil der
Ziehungen, die denselben Status ergeben, ist seine **Sicherheit**, z. B. „↑ auf Kurs (Sicherheit 61 %)“. Unter
{_prozent(sicherheit.UNSICHER_UNTER)} heißt der Status **unsicher**. Bei {fmt.zahl(sicherheit.ZIEHUNGEN)}
Ziehungen beträgt der Zufallsfehler dieser Angabe höchstens {fmt.zahl(100 * sicherheit.MC_FEHLER_MAX, 1)}
Prozentpunkte (Standardfehler bei einer Sicherheit von 50 %). Werte ohne Zähler und Nenner haben keine
Sicherheitsangabe, ebenso reine Anzahlen (etwa Familienlotsen am Stichtag): Sie sind eine Vollzählung eines
Registers ohne Zufallsschwankung. Ein Wert, der **nicht belastbar** ist, bekommt keine Sicherheitsangabe – sie
würde das Gegenteil nahelegen.

**Jahresdurchschnitte aus Monaten:** Gezogen wird aus den Monatszahlen, und zwar als **unabhängige Monate**: Die
Summe von zwölf unabhängigen Binomial-Monaten mit gleicher Quote ist binomial auf den summierten Zählern und
Nennern (Summe der Arbeitslosen aller Monate, Summe der Bezugsgrößen – wie der BA-Jahresdurchschnitt). Ebenso
rechnet das Konfidenzintervall eines Jahresdurchschnitts auf den Monatssummen. Wer mehrere Monate arbeitslos ist,
wird in jedem dieser Monate gezählt; die Monate hängen dann zusammen, und die wahre Unsicherheit liegt zwischen
diesem Modell und dem eines einzigen durchschnittlichen Monats (als wären es in allen Monaten dieselben Personen).
Die Sicherheit ist daher eine **Obergrenze**, das Intervall eine **Untergrenze** seiner Breite. Der Test auf einen
jüngsten Trend prüft dagegen vorsichtig den durchschnittlichen Monat (siehe unten).

**Status und Prognose** beruhen auf zwei Schätzungen des Trends: Der Status vergleicht das Startjahr mit dem
letzten Jahr, die Prognose schreibt den Verlauf **aller** Jahre fort. Schwankt die Reihe,
können beide in verschiedene Richtungen zeigen; dann steht es als Hinweis beim Gebiet.

**Zufall oder Unterschied?** Für Quoten aus Zähler und Nenner zeigt das Konfidenzintervall
(hier {stufe}), in welchem Bereich der Wert plausibel liegt; bei Jahresdurchschnitten auf den **Monatssummen**
(unabhängige Monate, siehe oben). Liegt die Schwelle (bzw.
der Vergleichswert) außerhalb, ist der Unterschied **gesichert**, sonst **nicht gesichert**. Wählbar sind zwei
Niveaus: 95 % und das strengere 99,8 %. Werden viele Gebiete zugleich geprüft, sind einige
allein durch Zufall „gesichert“ – bei 28 Gemeinden und 95 % etwa 1 bis 2; die Seite sagt es dann dazu.

**Nicht belastbar:** Jeder Indikator hat eine Mindestfallzahl (`mindest_nenner`, `mindest_zaehler` im
Indikatorenkatalog; so berechnet die Bundesagentur keine Arbeitslosenquote unter einer Bezugsgröße von 1.000).
Ohne eigene Regel gilt {belastbarkeit.Regel().text()}. Darunter ist eine Quote „nicht belastbar“ – gekennzeichnet
in Karte, Tabelle, Tooltip und Export – und gilt nie als gesichert.

**Jüngster Trend:** die letzten {signifikanz.TREND_PUNKTE} Jahre mit Zähler
und Nenner, ein statistischer Test, ob die Anteile Jahr für Jahr gleichmäßig steigen oder fallen, auf dem Niveau
{_prozent(signifikanz.TREND_NIVEAU, 1)}. Ein Trend gilt nur, wenn er auch dann bestehen bleibt, wenn eines der fünf
Jahre weggelassen wird – ein einzelnes Ausreißerjahr macht keinen Trend. Sonst: „kein gesicherter Trend“; mit
weniger als fünf Jahren: „nicht prüfbar“.

**Veränderungskarte:** Ob sich eine Quote zwischen zwei Zeiträumen wirklich verändert hat, prüft ein Test zweier
Anteile auf den Fallzahlen (Zähler und Nenner beider Zeiträume); gesicherte Veränderungen sind markiert.

**Werte nach altem Gebietsstand** (Import mit Angabe der Vorgängergemeinden): Zähler und Nenner der Vorgängergemeinden werden
addiert. Ein Vorgänger mit „x“ (entfällt) trägt nichts bei und löscht die anderen nicht. Gehört ein Vorgänger zu
mehreren heutigen Gemeinden, wird der Import abgelehnt – außer die Aufteilung wird mit Gewichten angegeben
(einer Datei mit dem Anteil jeder Gemeinde); die Reihenfolge der Zeilen spielt nie eine Rolle.

**Woher die Verfahren stammen** (für Statistikfachleute): Das Konfidenzintervall ist das nach Wilson; die beiden
Niveaus 95 % und 99,8 % und der jüngste Trend folgen den Gesundheitsprofilen „Fingertips“ der englischen
Gesundheitsbehörde (Public Health England), der Trendtest ist der Chi-Quadrat-Test auf linearen Trend in Anteilen
nach Cochran und Armitage; Status und Fortschritt bis zur Frist rechnen wie die Berichte zu den
UN-Nachhaltigkeitszielen (open-sdg, Statistics Canada).
"""


METHODE = methode()
