"""Writes data/demo_beobachtungen.csv: SYNTHETIC Gemeinde counts (and data/demo_kreise.csv: synthetic counts of
every other Kreis for the Vergleichsring, see kreise()) for the Kyffhäuserkreis demo, 2015–2024.

Deterministic (fixed seed): running it again gives the same file. The Gemeinde sizes are rough demo
approximations, not official population figures. The Kreis-level rates the counts are drawn around are calibrated
to the real published figures in ../shared/reference/indicator_reference_figures.csv (copied to
data/veroeffentlichte_vergleichszahlen.csv): youth unemployment Kyffhäuserkreis 9.6 % (April 2024), 9.5 %
(August 2023), 8.7 % (September 2023), about 7.4 % (September 2022); school leavers without certificate about 9 %
(Bildungsbericht Kyffhäuserkreis 2013/14). Small Gemeinden get small counts on purpose, so that privacy and
uncertainty show. A few cells carry the BA symbols to show that suppressed ('*'), unknown ('.') and zero ('-')
stay apart.

Run:  python data/demo_erzeugen.py
"""

import csv
from pathlib import Path

import numpy as np

SEED = 20191127  # date of the Zielvereinbarung
YEARS = range(2015, 2025)
OUT = Path(__file__).with_name("demo_beobachtungen.csv")

# Rough demo sizes (inhabitants), not official figures.
GEMEINDEN = {
    "16065001": 450, "16065003": 9800, "16065005": 300, "16065008": 330, "16065012": 1050, "16065014": 3900,
    "16065016": 260, "16065018": 270, "16065019": 700, "16065032": 2200, "16065038": 340, "16065042": 420,
    "16065046": 420, "16065048": 200, "16065051": 300, "16065052": 750, "16065056": 560, "16065058": 210,
    "16065067": 20500, "16065074": 360, "16065075": 310, "16065077": 250, "16065079": 420, "16065085": 3900,
    "16065086": 6900, "16065087": 7300, "16065088": 4500, "16065089": 5000,
}
TOWNS_WITH_HIGHER_RISK = {"16065067", "16065086", "16065087", "16065003"}

# Kreis-level rates (%) the synthetic counts are drawn around.
SGB2_U10 = dict(zip(YEARS, [24.0, 24.5, 23.0, 21.5, 20.0, 19.8, 19.0, 18.6, 19.5, 19.2]))
ALQ_U25 = dict(zip(YEARS, [11.8, 11.0, 10.2, 9.3, 8.6, 9.8, 8.9, 7.9, 8.8, 9.3]))
OHNE_HSA = dict(zip(YEARS, [10.5, 10.9, 9.8, 10.1, 9.6, 9.0, 9.3, 8.8, 8.5, 8.2]))
# Youth unemployment by month, in percentage points around the annual rate (peaks after school ends in summer).
SEASON = [0.5, 0.5, 0.3, 0.3, -0.1, -0.3, 0.3, 0.7, -0.1, -0.7, -0.8, -0.6]

# Familienlotsen per Sozialraum (Maßnahme 5.1.3), demo course: 2 Sozialräume in 2019, all 6 in 2024.
FAMILIENLOTSEN = {
    2019: {"SR4": 1, "SR2": 1},
    2020: {"SR4": 1, "SR2": 1, "SR3": 1},
    2021: {"SR4": 1, "SR2": 1, "SR3": 1, "SR1": 1},
    2022: {"SR4": 2, "SR2": 1, "SR3": 1, "SR1": 1, "SR5": 1},
    2023: {"SR4": 2, "SR2": 1, "SR3": 1, "SR1": 1, "SR5": 1},
    2024: {"SR4": 2, "SR2": 1, "SR3": 2, "SR1": 1, "SR5": 1, "SR6": 1},
}

# BA symbols placed on purpose: (gebiet, indikator, zeitraum) → symbol.
SYMBOLS = {
    ("16065048", "ohne_hsa", "2016"): "*",     # suppressed: too few leavers to publish
    ("16065016", "alq_u25", "2016-02"): ".",   # not delivered: the 2016 annual average has 11 months
}


def relative_risks(rng: np.random.Generator, spread: float) -> dict[str, float]:
    risks = {}
    for code in GEMEINDEN:
        base = 1.25 if code in TOWNS_WITH_HIGHER_RISK else 0.85
        risks[code] = base * float(np.exp(rng.normal(0.0, spread)))
    return risks


def calibrated_probabilities(rate: float, risks: dict, bases: dict) -> dict[str, float]:
    """Scale the Gemeinde risks so that the base-weighted Kreis rate equals `rate`."""
    total = sum(bases.values())
    weighted = sum(risks[c] * bases[c] for c in bases) / total
    return {c: min(0.95, rate / 100 * risks[c] / weighted) for c in bases}


def cell(value: int, rng: np.random.Generator) -> str:
    """Zeros are written half as BA '-' and half as '0', as real deliveries mix them."""
    if value == 0:
        return "-" if rng.random() < 0.5 else "0"
    return str(value)


def main() -> None:
    rng = np.random.default_rng(SEED)
    risk_sgb2 = relative_risks(rng, 0.25)
    risk_alq = relative_risks(rng, 0.30)
    risk_hsa = relative_risks(rng, 0.35)
    rows = []
    for year in YEARS:
        drift = 1 - 0.012 * (year - 2015)  # the Kreis shrinks slowly
        children = {c: int(round(p * drift * rng.uniform(0.065, 0.085))) for c, p in GEMEINDEN.items()}
        youth = {c: int(round(p * drift * rng.uniform(0.065, 0.08))) for c, p in GEMEINDEN.items()}
        leavers = {c: int(rng.binomial(p, 0.0092)) for c, p in GEMEINDEN.items()}
        labour = {c: max(1, int(round(youth[c] * rng.uniform(0.5, 0.58)))) for c in GEMEINDEN}

        p_sgb2 = calibrated_probabilities(SGB2_U10[year], risk_sgb2, children)
        p_hsa = calibrated_probabilities(OHNE_HSA[year], risk_hsa, leavers)
        for code in GEMEINDEN:
            rows.append((code, "bev_u10", str(year), "", "", str(children[code])))
            rows.append((code, "bev_15_u25", str(year), "", "", str(youth[code])))
            rows.append((code, "sgb2_u10", str(year), cell(int(rng.binomial(children[code], p_sgb2[code])), rng),
                         str(children[code]), ""))
            rows.append((code, "schulabgaenger", str(year), "", "", cell(leavers[code], rng)))
            if leavers[code] == 0:
                rows.append((code, "ohne_hsa", str(year), "x", "x", ""))  # no leavers: the rate does not apply
            else:
                rows.append((code, "ohne_hsa", str(year), cell(int(rng.binomial(leavers[code], p_hsa[code])), rng),
                             str(leavers[code]), ""))
        for month, shift in enumerate(SEASON, start=1):
            period = f"{year}-{month:02d}"
            p_alq = calibrated_probabilities(ALQ_U25[year] + shift, risk_alq, labour)
            for code in GEMEINDEN:
                rows.append((code, "alq_u25", period, cell(int(rng.binomial(labour[code], p_alq[code])), rng),
                             str(labour[code]), ""))
        for sozialraum in ("SR1", "SR2", "SR3", "SR4", "SR5", "SR6"):
            if year in FAMILIENLOTSEN:
                rows.append((sozialraum, "familienlotsen", str(year), "", "",
                             cell(FAMILIENLOTSEN[year].get(sozialraum, 0), rng)))

    with OUT.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, delimiter=";", lineterminator="\n")
        writer.writerow(["gebiet", "indikator", "zeitraum", "zaehler", "nenner", "wert"])
        for gebiet, indikator, zeitraum, zaehler, nenner, wert in rows:
            symbol = SYMBOLS.get((gebiet, indikator, zeitraum))
            if symbol:
                zaehler, nenner, wert = symbol, symbol, ""
            writer.writerow([gebiet, indikator, zeitraum, zaehler, nenner, wert])
    print(f"{OUT.name}: {len(rows)} Zeilen geschrieben")


KREISE_OUT = Path(__file__).with_name("demo_kreise.csv")
KREISE_JAHRE = range(2020, 2025)
OSTEN = {"12", "13", "14", "15", "16"}  # Länder whose Kreise get a higher synthetic level


def kreise() -> None:
    """Writes data/demo_kreise.csv: SYNTHETIC counts for every other Kreis of Germany (the 400 of the Gebietsregister
    without the demo Kreis), 2020–2024, as reference data for the Vergleichsring (issue 21). Not official figures:
    each Kreis gets a latent level (normal, higher in the east) that drives its three rates, plus noise; the
    populations are lognormal around typical Kreis sizes. Deterministic (own seed)."""
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    from sozialmonitor.einlesen import register

    reg = register.register()
    codes = sorted(c for c in reg.loc[reg["ebene"].eq("kreis"), "code"] if c != "16065")
    rng = np.random.default_rng(SEED + 21)
    zeilen = []
    for code in codes:
        osten = code[:2] in OSTEN
        lage = rng.normal(0.0, 1.0) + (0.8 if osten else 0.0)
        kinder = int(np.exp(rng.normal(np.log(18000), 0.55)))
        for jahr in KREISE_JAHRE:
            schwankung = rng.normal(0.0, 0.15)
            raten = {"sgb2_u10": 13.0 + 5.0 * (lage + schwankung), "alq_u25": 5.5 + 1.6 * (lage + schwankung),
                     "ohne_hsa": 6.0 + 1.3 * (lage + schwankung) + rng.normal(0.0, 0.5)}
            nenner = {"sgb2_u10": kinder, "alq_u25": int(kinder * 0.62 * 12),  # annual sum of 12 monthly bases
                      "ohne_hsa": int(kinder * 0.095)}
            for indikator, rate in raten.items():
                rate = min(max(rate, 1.0), 45.0)
                zeilen.append((code, indikator, str(jahr), int(rng.binomial(nenner[indikator], rate / 100)),
                               nenner[indikator]))
            zeilen.append((code, "bev_u10", str(jahr), kinder, ""))
    with KREISE_OUT.open("w", encoding="utf-8", newline="") as handle:
        handle.write("# SYNTHETISCH – Demodaten für den Vergleichsring, keine amtlichen Zahlen (data/demo_erzeugen.py).\n")
        writer = csv.writer(handle, delimiter=";", lineterminator="\n")
        writer.writerow(["kreis", "indikator", "zeitraum", "zaehler", "nenner"])
        writer.writerows(zeilen)
    print(f"{KREISE_OUT.name}: {len(zeilen)} Zeilen geschrieben")


if __name__ == "__main__":
    main()
    kreise()
