"""Numbers as planners' files write them: decimal comma or point, thousands separators, the symbols of the BA and
the statistical offices."""

import pandas as pd

# BA symbols → observation status. '-' is a real zero.
SYMBOL_STATUS = {"*": "gesperrt", ".": "fehlt", "x": "entfaellt", "X": "entfaellt"}
ZERO_SYMBOL = "-"


def decimal_mark(cells: pd.Series, delimiter: str) -> str:
    """The file's decimal mark: ',' if any number has a comma; '.' for comma-delimited files or where a point
    cannot be a thousands separator; otherwise ',' (German default, so '1.503' reads as 1503)."""
    numeric = cells[cells.str.match(r"^-?[\d.,]+$", na=False)]
    if delimiter != "," and numeric.str.contains(",", regex=False).any():
        return ","
    if delimiter == ",":
        return "."
    if numeric.str.match(r"^-?\d+\.(\d{1,2}|\d{4,})$").any():
        return "."
    return ","


def parse_numbers(cells: pd.Series, mark: str) -> tuple[pd.Series, pd.Series]:
    """Cells → (float values, ok-mask). Empty cells and symbols give NaN with ok=True; anything else unparsable
    gives ok=False."""
    thousands = "." if mark == "," else ","
    pattern = (r"^-?\d{1,3}(\.\d{3})+(,\d+)?$|^-?\d+(,\d+)?$" if mark == ","
               else r"^-?\d{1,3}(,\d{3})+(\.\d+)?$|^-?\d+(\.\d+)?$")
    is_number = cells.str.match(pattern, na=False)
    cleaned = cells.where(is_number, None).str.replace(thousands, "", regex=False)
    if mark == ",":
        cleaned = cleaned.str.replace(",", ".", regex=False)
    values = cleaned.astype("float64")
    is_blank_or_symbol = cells.eq("") | cells.isin(list(SYMBOL_STATUS) + [ZERO_SYMBOL])
    values = values.mask(cells.eq(ZERO_SYMBOL), 0.0)
    return values, is_number | is_blank_or_symbol


def zahl_text(value: float) -> str:
    """A parsed number back as the German text a user typed (1503 → 1503, 6.5 → 6,5)."""
    return f"{value:.10g}".replace(".", ",")
