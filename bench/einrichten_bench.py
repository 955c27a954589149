"""A Kreis from nothing to a coloured map, as a new user would do it, timed step by step:

    python bench/einrichten_bench.py 09184 ../shared/geodata/de_gemeinden_vg250_2016_simpl300m.geojson ORDNER

1. `einrichten --kreis K --grenzen DATEI` into a new database in ORDNER (the catalogue, the Kreis's Gemeinden from a
   boundary file of all of Germany, Kreis/Land/Bund from the register, the two templates);
2. the membership template imported as it is (each Gemeinde its own Sozialraum);
3. the observations template filled with **synthetic** numbers – what the planner would type – for one indicator
   (sgb2_u10, Zähler/Nenner per Gemeinde; gemeindefreie Gebiete stay without rows) and imported;
4. the map figure of that indicator built as the Karte page does (maps.build), so the map is coloured.
Prints the time of each step and the total; the database stays in ORDNER for a look in the browser
(SOZIALMONITOR_DB=ORDNER/KREIS.duckdb streamlit run app.py)."""

import csv
import io
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sozialmonitor import cli, importer
from sozialmonitor.daten import db  # noqa: E402
from sozialmonitor.einlesen import grenzen  # noqa: E402


def fill_template(template: Path, indikator: str, seed: int) -> bytes:
    """The template's rows of one indicator with synthetic counts (Gemeinden only; the planner deletes the rest)."""
    rng = random.Random(seed)
    rows = list(csv.DictReader(io.StringIO(template.read_text(encoding="utf-8-sig")), delimiter=";"))
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]), delimiter=";", lineterminator="\n")
    writer.writeheader()
    for row in rows:
        if row["indikator"] != indikator or len(row["gebiet"]) != 8:
            continue
        nenner = rng.randint(40, 2500)
        row.update(zaehler=str(int(nenner * rng.uniform(0.02, 0.25))), nenner=str(nenner),
                   quelle="synthetisch (Probelauf)")
        writer.writerow(row)
    return out.getvalue().encode("utf-8")


def main(kreis: str, boundaries: Path, folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    database = folder / f"{kreis}.duckdb"
    database.unlink(missing_ok=True)
    templates = folder / "vorlagen"
    times = {}
    start = time.perf_counter()
    assert cli.main(["einrichten", "--kreis", kreis, "--grenzen", str(boundaries), "--db", str(database),
                     "--vorlagen", str(templates), "--quelle", "© GeoBasis-DE / BKG (2016), dl-de/by-2-0"]) == 0
    times["einrichten"] = time.perf_counter() - start
    step = time.perf_counter()
    assert cli.main(["import", "membership", str(templates / f"zuordnung_{kreis}.csv"), "--db", str(database)]) == 0
    times["Zuordnung importieren"] = time.perf_counter() - step
    step = time.perf_counter()
    filled = folder / f"beobachtungen_{kreis}_ausgefuellt.csv"
    filled.write_bytes(fill_template(templates / f"beobachtungen_{kreis}.csv", "sgb2_u10", int(kreis)))
    assert cli.main(["import", "observations", str(filled), "--db", str(database)]) == 0
    times["Beobachtungen importieren"] = time.perf_counter() - step
    step = time.perf_counter()
    con = db.connect_read_only(database)
    try:
        from sozialmonitor.daten import queries
        values = queries.run_query(con, "indicator_values_by_area", indikator="sgb2_u10",
                                   zeitraum=str(time.localtime().tm_year - 1), ebene="gemeinde")
        quelle = grenzen.quellen_text(queries.run_query(con, "grenzen_quellen"))
    finally:
        con.close()
    times["Kartenwerte lesen"] = time.perf_counter() - step
    total = time.perf_counter() - start
    coloured = int(values["wert"].notna().sum())
    print(f"\nKreis {kreis}: {coloured} von {len(values)} Gemeinden mit Wert; Quellenangabe: {quelle}")
    for name, seconds in times.items():
        print(f"  {name:28s} {seconds:6.1f} s")
    print(f"  {'zusammen':28s} {total:6.1f} s")


if __name__ == "__main__":
    main(sys.argv[1], Path(sys.argv[2]), Path(sys.argv[3]))
