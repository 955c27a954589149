"""What the indicator catalogue says about Geheimhaltung: whether an indicator counts persons (and is protected), and
which count indicator is a rate's numerator or denominator.

The links are derived from the catalogue's own fields, not kept by hand in the rules file: a rate's `nenner`
(`zaehler`) names a count indicator when its text, without brackets and without „insgesamt“, equals that indicator's
`name` or `zaehler` text (sgb2_u10's nenner „Kinder unter 10 Jahren (Einwohner laut Melderegister, 31.12.)“ is
bev_u10 „Kinder unter 10 Jahren“). An explicit `zaehler_indikator` / `nenner_indikator` in the catalogue wins; the
rules file's older `nenner_indikator` is still honoured. Whether an indicator is protected: the catalogue's
`geheimhaltung` (true/false) where given, else the rules file's `schuetzen` (default true)."""

import re

import pandas as pd

from sozialmonitor.geheimhaltung.regeln import Regeln


def _norm(text) -> str:
    if not isinstance(text, str):
        return ""
    text = re.sub(r"\([^)]*\)", " ", text.casefold())
    text = re.sub(r"\binsgesamt\b", " ", text)
    text = re.sub(r"[^\w]+", " ", text)
    return " ".join(text.split())


def _feld(row: dict, key: str):
    value = row.get(key)
    if value is None or (isinstance(value, float) and value != value) or value is pd.NA or value == "":
        return None
    return value


def verknuepfungen(indikatoren: pd.DataFrame, regeln: Regeln | None = None) -> dict[str, tuple[str | None, str | None]]:
    """{rate id: (numerator count id or None, denominator count id or None)} for every rate that has a link.
    indikatoren: id, art, optional name, zaehler, nenner, zaehler_indikator, nenner_indikator."""
    zeilen = indikatoren.to_dict("records")
    anzahlen: dict[str, str] = {}
    for row in zeilen:
        if row.get("art") == "anzahl":
            for key in ("name", "zaehler"):
                text = _norm(_feld(row, key))
                if text:
                    anzahlen.setdefault(text, str(row["id"]))
    ids = {str(row["id"]) for row in zeilen}
    out = {}
    for row in zeilen:
        if row.get("art") != "quote":
            continue
        ident = str(row["id"])
        links = []
        for key in ("zaehler", "nenner"):
            explizit = _feld(row, f"{key}_indikator")
            if explizit is None and key == "nenner" and regeln is not None:
                explizit = regeln.fuer(ident).nenner_indikator
            if explizit is not None:
                links.append(str(explizit) if str(explizit) in ids else None)
            else:
                links.append(anzahlen.get(_norm(_feld(row, key))))
        if any(links):
            out[ident] = (links[0], links[1])
    return out


def schutz(indikatoren: pd.DataFrame, regeln: Regeln) -> dict[str, bool]:
    """{id: protected?}: the catalogue's `geheimhaltung` where given, else the rules file's `schuetzen`."""
    out = {}
    for row in indikatoren.to_dict("records"):
        ident = str(row["id"])
        wert = _feld(row, "geheimhaltung")
        out[ident] = bool(wert) if wert is not None else regeln.fuer(ident).schuetzen
    return out
