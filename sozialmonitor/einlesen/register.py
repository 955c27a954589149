"""Germany's area register, built in: Deutschland (DG), the 16 Länder and the 400 Kreise and kreisfreie Städte with
their official names (BKG VG250, Gebietsstand 01.01.2025), shipped as the small text file gebietsregister.csv beside
this module. A Gemeinde's AGS names its Kreis (first 5 digits) and Land (first 2), so importing Gemeinde boundaries
brings the Kreis, the Land and Deutschland along; a gebiete.csv imported before stays as it is (an override).

The file is made from the VG250 Kreise (``python -m sozialmonitor.einlesen.register KREISE.geojson``); its first
lines keep the source and the attribution the licence requires."""

import sys
from functools import lru_cache
from importlib.resources import files
from pathlib import Path

import pandas as pd

REGISTER_FILE = "gebietsregister.csv"
STAND = "01.01.2025"
ATTRIBUTION = (f"Gebietsregister (Kreise, Gebietsstand {STAND}): © GeoBasis-DE / BKG (2025), "
               "Datenlizenz Deutschland – Namensnennung – Version 2.0 (dl-de/by-2-0), VG250")
BUND = ("DG", "Deutschland")

# The Länder by their 2-digit key (Amtlicher Gemeindeschlüssel, Statistische Ämter des Bundes und der Länder).
LAENDER = {
    "01": "Schleswig-Holstein", "02": "Hamburg", "03": "Niedersachsen", "04": "Bremen",
    "05": "Nordrhein-Westfalen", "06": "Hessen", "07": "Rheinland-Pfalz", "08": "Baden-Württemberg",
    "09": "Bayern", "10": "Saarland", "11": "Berlin", "12": "Brandenburg", "13": "Mecklenburg-Vorpommern",
    "14": "Sachsen", "15": "Sachsen-Anhalt", "16": "Thüringen",
}


@lru_cache(maxsize=1)
def register() -> pd.DataFrame:
    """The register: DataFrame(code, name, ebene ('bund'/'land'/'kreis'), uebergeordnet, bez), one row per area,
    codes as text ('DG', '03', '03151'). Read once per process from the file shipped with the package."""
    text = files("sozialmonitor.einlesen").joinpath(REGISTER_FILE).read_text(encoding="utf-8")
    rows = [line.split(";") for line in text.splitlines() if line and not line.startswith("#")]
    frame = pd.DataFrame(rows[1:], columns=rows[0], dtype="str")
    frame["uebergeordnet"] = frame["uebergeordnet"].replace("", None)
    frame["bez"] = frame["bez"].replace("", None)
    return frame


def codes() -> set[str]:
    return set(register()["code"])


def kette(area_codes) -> pd.DataFrame:
    """The register rows of the given codes and of everything above them (Kreis → Land → DG), without duplicates:
    DataFrame(code, name, ebene, uebergeordnet, bez). Codes not in the register are left out."""
    by_code = register().set_index("code")
    wanted, todo = [], [c for c in dict.fromkeys(area_codes) if c in by_code.index]
    while todo:
        code = todo.pop()
        if code in wanted:
            continue
        wanted.append(code)
        parent = by_code.at[code, "uebergeordnet"]
        if isinstance(parent, str) and parent:
            todo.append(parent)
    return register()[register()["code"].isin(wanted)].reset_index(drop=True)


def kreis_von(ags: str) -> str | None:
    """The Kreis of an 8-digit Gemeinde AGS (its first 5 digits); None for other codes."""
    return ags[:5] if len(ags) == 8 and ags.isdigit() else None


def build_register_file(kreise_geojson: Path, target: Path) -> int:
    """Write gebietsregister.csv from the VG250 Kreise (fields AGS, GEN, BEZ); returns the number of Kreise.
    Source: ../shared/geodata/de_kreise_vg250_2025-01-01_simpl200m.geojson (BKG VG250, 01.01.2025)."""
    import json

    features = json.loads(Path(kreise_geojson).read_text(encoding="utf-8"))["features"]
    kreise = sorted((f["properties"]["AGS"], f["properties"]["GEN"], f["properties"]["BEZ"]) for f in features)
    lines = [f"# Gebietsregister Deutschland: Bund, Länder, Kreise und kreisfreie Städte, Gebietsstand {STAND}.",
             f"# Quelle der Kreise: {Path(kreise_geojson).name} – {ATTRIBUTION}.",
             "# Namen der Länder: amtliche Bezeichnungen (Statistische Ämter des Bundes und der Länder).",
             "code;name;ebene;uebergeordnet;bez", f"{BUND[0]};{BUND[1]};bund;;"]
    lines += [f"{code};{name};land;DG;Land" for code, name in LAENDER.items()]
    lines += [f"{ags};{gen};kreis;{ags[:2]};{bez}" for ags, gen, bez in kreise]
    Path(target).write_text("\n".join(lines) + "\n", encoding="utf-8")
    return len(kreise)


if __name__ == "__main__":
    written = build_register_file(Path(sys.argv[1]), Path(__file__).with_name(REGISTER_FILE))
    print(f"{written} Kreise geschrieben: {Path(__file__).with_name(REGISTER_FILE)}")


def neue_gebiete(area_codes, stored: set[str]) -> pd.DataFrame:
    """Register areas to add to the database: the given codes that are in the register and every area above them,
    minus those already stored (a gebiete.csv imported before wins). In the importer's area shape:
    DataFrame(code, name, ebene, uebergeordnet, vorgaenger, bez, zeile) with zeile empty."""
    rows = kette(area_codes)
    rows = rows[~rows["code"].isin(stored)].reset_index(drop=True)
    return pd.DataFrame({"code": rows["code"], "name": rows["name"], "ebene": rows["ebene"],
                         "uebergeordnet": rows["uebergeordnet"], "vorgaenger": pd.Series(None, index=rows.index,
                                                                                        dtype="str"),
                         "bez": rows["bez"], "zeile": pd.array([pd.NA] * len(rows), dtype="Int64")})
