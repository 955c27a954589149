"""Roles checked in the functions themselves, the audit trail with the signed-in person, the role table and local
users with Argon2 hashes, the Gemeinde scope, and the pages as Betrachter / Bearbeiter / Verwaltung (AppTest).
The real OIDC sign-in in a browser: tests/e2e/test_anmeldung.py."""

import io
from dataclasses import replace
from pathlib import Path

import pandas as pd
import pytest

from conftest import lokal_angemeldet, open_page, query_rows as rows
from sozialmonitor import cli, importer
from sozialmonitor.zugang import protokoll
from sozialmonitor.daten import queries
from sozialmonitor.zugang import verwaltung
from sozialmonitor.zugang import anmeldungen, rollen
from sozialmonitor.betrieb import freigabe
from sozialmonitor.errors import KeinZugriff, SozialmonitorFehler

BEA = rollen.Person("bea@kreis.example", "Bea Betrachter", "betrachter")
BERND = rollen.Person("bernd@kreis.example", "Bernd Bearbeiter", "bearbeiter")
VERA = rollen.Person("vera@kreis.example", "Vera Verwaltung", "verwaltung")
OBSERVATION = b"gebiet;indikator;zeitraum;zaehler;nenner;wert\n01001001;quote_jahr;2030;5;100;\n"


def file_state(path: Path) -> bytes:
    return path.read_bytes()


# ---------------------------------------------------------------- roles and the check

def test_roles_include_the_ones_below():
    assert [a for a in rollen.AKTIONEN if BEA.darf(a)] == ["ansehen"]
    assert {a for a in rollen.AKTIONEN if BERND.darf(a)} == set(rollen.AKTIONEN) - {"rollen_verwalten"}
    assert all(VERA.darf(a) for a in rollen.AKTIONEN)


def test_pruefe_names_person_right_and_needed_role():
    with pytest.raises(KeinZugriff, match="Bea Betrachter ist Betrachter: Dateien importieren darf erst die Rolle "
                                          "Bearbeiter"):
        rollen.pruefe(BEA, "importieren")
    with pytest.raises(KeinZugriff, match="Ohne Anmeldung"):
        rollen.pruefe(None, "ansehen")
    rollen.pruefe(BERND, "importieren")


@pytest.mark.parametrize("person", [None, BEA], ids=["niemand", "betrachter"])
def test_the_write_functions_refuse_without_the_role_and_leave_the_file_untouched(tiny_copy, person):
    from sozialmonitor.ziele import pflege
    from sozialmonitor.sozialindex import pflege as indexpflege

    before = file_state(tiny_copy)
    calls = [
        lambda: importer.run(tiny_copy, "observations", OBSERVATION, "werte.csv", person=person),
        lambda: importer.run(tiny_copy, "observations", OBSERVATION, "werte.csv", person=person, dry_run=True),
        lambda: importer.run_undo(tiny_copy, 1, person=person, grund="Test"),
        lambda: importer.upgrade(tiny_copy, person),
        lambda: pflege.speichern(tiny_copy, person, {"id": "x"}, "Test", neu=True),
        lambda: pflege.zurueckziehen(tiny_copy, person, "x", "Test"),
        lambda: indexpflege.speichern(tiny_copy, person, {"id": "x"}, "Test", neu=True),
        lambda: indexpflege.entfernen(tiny_copy, person, "x", "Test"),
        lambda: indexpflege.ring_speichern(tiny_copy, person, {"kreis": "16065"}, "Test"),
        lambda: importer.run(tiny_copy, "sozialindex", b"[[index]]", "s.toml", person=person),
        lambda: importer.run(tiny_copy, "vergleichskreise", b"kreis;indikator", "k.csv", person=person),
        lambda: verwaltung.rolle_setzen(tiny_copy, person, "x@y", "X", "verwaltung", None, "Test"),
        lambda: verwaltung.eintrag_entfernen(tiny_copy, person, "x@y", "Test"),
    ]
    for call in calls:
        with pytest.raises(KeinZugriff):
            call()
    assert file_state(tiny_copy) == before


def test_a_bearbeiter_may_not_give_roles(tiny_copy):
    with pytest.raises(KeinZugriff, match="Rollen und Benutzer verwalten darf erst die Rolle Verwaltung"):
        verwaltung.rolle_setzen(tiny_copy, BERND, "bernd@kreis.example", "Bernd", "verwaltung", None, "Beförderung")


def test_nobody_changes_their_own_role_in_the_app(tiny_copy):
    with pytest.raises(KeinZugriff, match="eigene Rolle"):
        verwaltung.rolle_setzen(tiny_copy, VERA, "VERA@kreis.example", "Vera", "betrachter", None, "Test")


# ---------------------------------------------------------------- audit trail

def test_import_and_undo_record_the_signed_in_person_and_reason_not_the_os_account(tiny_copy):
    ergebnis = importer.run(tiny_copy, "observations", OBSERVATION, "werte.csv", person=BERND,
                            grund="Nachlieferung Jobcenter")
    with pytest.raises(SozialmonitorFehler, match="Bitte einen Grund angeben"):
        importer.run_undo(tiny_copy, ergebnis.import_id, person=BERND, grund="  ")
    undone = importer.run_undo(tiny_copy, ergebnis.import_id, person=BERND, grund="falsche Datei")
    history = rows(tiny_copy, "import_history")
    batch = history.set_index("import_id").loc[[ergebnis.import_id, undone.import_id]]
    assert batch["benutzer"].tolist() == ["Bernd Bearbeiter (bernd@kreis.example)"] * 2
    assert batch["grund"].tolist() == ["Nachlieferung Jobcenter", "falsche Datei"]
    log = rows(tiny_copy, "protokoll", von=None, bis=None)
    assert log["aktion"].tolist() == ["rueckgaengig", "import"]
    assert log["person_name"].unique().tolist() == ["Bernd Bearbeiter"]
    assert log["person_kennung"].unique().tolist() == ["bernd@kreis.example"]
    assert log["grund"].tolist() == ["falsche Datei", "Nachlieferung Jobcenter"]
    assert log["import_id"].tolist() == [undone.import_id, ergebnis.import_id]
    assert log["gegenstand"].iloc[1] == f"Import {ergebnis.import_id}: Beobachtungen – werte.csv"


def test_a_dry_run_and_a_repeated_file_write_no_protokoll(tiny_copy):
    importer.run(tiny_copy, "observations", OBSERVATION, "werte.csv", person=BERND, dry_run=True)
    importer.run(tiny_copy, "observations", OBSERVATION, "werte.csv", person=BERND)
    importer.run(tiny_copy, "observations", OBSERVATION, "werte.csv", person=BERND)
    assert len(rows(tiny_copy, "protokoll", von=None, bis=None)) == 1


def test_the_command_line_records_the_os_account_as_command_line(tiny_copy, tmp_path, capsys):
    path = tmp_path / "werte.csv"
    path.write_bytes(OBSERVATION)
    assert cli.main(["import", "observations", str(path), "--db", str(tiny_copy), "--grund", "Monatsdaten"]) == 0
    log = rows(tiny_copy, "protokoll", von=None, bis=None)
    assert log["anmeldung"].tolist() == ["kommandozeile"]
    assert log["person_name"].iloc[0].endswith("(Kommandozeile)") and log["grund"].iloc[0] == "Monatsdaten"
    last = int(log["import_id"].iloc[0])
    with pytest.raises(SystemExit):  # argparse: --grund is required for an undo
        cli.main(["undo", str(last), "--db", str(tiny_copy)])
    assert cli.main(["undo", str(last), "--db", str(tiny_copy), "--grund", "doppelt"]) == 0


def test_protokoll_exports_neutralise_formulas_and_keep_umlauts():
    log = pd.DataFrame({"nr": [1], "zeitpunkt": [pd.Timestamp("2026-11-30 09:15:00")], "aktion": ["ziel_geaendert"],
                        "gegenstand": ["Ziel 1: Familienlotsen in Sondershausen"], "grund": ["=1+1 Beschluss"],
                        "person_kennung": ["bernd@kreis.example"], "person_name": ["Bernd Bärmann"],
                        "anmeldung": ["oidc"], "import_id": [8]})
    text = protokoll.csv_bytes(log).decode("utf-8-sig")
    assert text.splitlines()[0] == "Nr.;Zeitpunkt;Person;Aktion;Grund;Gegenstand;Kennung;Anmeldung;Import"
    assert "30.11.2026 09:15:00;Bernd Bärmann;Ziel geändert;'=1+1 Beschluss;" in text
    workbook = pd.read_excel(io.BytesIO(protokoll.xlsx_bytes(log)))
    assert workbook.loc[0, "Grund"].startswith("'=") and workbook.loc[0, "Person"] == "Bernd Bärmann"


# ---------------------------------------------------------------- sign-in: claims, role table, local users

SETTINGS = rollen.einstellungen({"gruppen": {"sm-bearbeiten": "bearbeiter", "sm-verwaltung": "Verwaltung"}})


def test_the_highest_group_counts_and_no_group_means_betrachter():
    claims = {"sub": "abc", "email": "Bernd@Kreis.example", "email_verified": True, "name": "Bernd",
              "groups": ["andere", "sm-bearbeiten"]}
    assert rollen.person_aus_claims(claims, SETTINGS, None) == rollen.Person("Bernd@Kreis.example", "Bernd",
                                                                              "bearbeiter", None, "oidc")
    both = claims | {"groups": ["sm-verwaltung", "sm-bearbeiten"]}
    assert rollen.person_aus_claims(both, SETTINGS, None).rolle == "verwaltung"
    assert rollen.person_aus_claims(claims | {"groups": []}, SETTINGS, None).rolle == "betrachter"
    assert rollen.person_aus_claims({"sub": "x"}, SETTINGS, None).rolle == "betrachter"
    restricted = rollen.person_aus_claims(claims | {"gebiet": "SR2"}, SETTINGS, None)
    assert (restricted.gebiet, restricted.rolle) == ("SR2", "betrachter")  # a restricted person never edits


def test_the_role_table_wins_over_the_group():
    claims = {"email": "bernd@kreis.example", "email_verified": True, "name": "Bernd", "groups": ["sm-verwaltung"]}
    row = {"kennung": "bernd@kreis.example", "name": "B.", "rolle": "betrachter", "gebiet": "16065001"}
    person = rollen.person_aus_claims(claims, SETTINGS, row)
    assert (person.rolle, person.gebiet) == ("betrachter", "16065001")


def test_an_unverified_or_differently_written_e_mail_never_takes_another_persons_entry(tiny_copy):
    """Finding 3 of issue 23: 'Paula@Kreis.Example' with email_verified false received the entry of
    'paula@kreis.example' (Bearbeiter). The provider's person is its verified e-mail exactly as sent, else its sub."""
    verwaltung.rolle_setzen(tiny_copy, rollen.kommandozeile(), "paula@kreis.example", "Paula Planer", "bearbeiter",
                            None, "Sozialplanung")
    benutzer = rows(tiny_copy, "benutzer")
    fremd = {"sub": "mallory", "email": "Paula@Kreis.Example", "email_verified": False, "name": "Paula?",
             "groups": []}
    kennung = rollen.kennung_aus_claims(fremd, SETTINGS)
    assert kennung == "mallory"
    wer = rollen.person_aus_claims(fremd, SETTINGS, rollen.eintrag(benutzer, kennung, exakt=True))
    assert (wer.kennung, wer.rolle) == ("mallory", "betrachter")
    unbestaetigt = fremd | {"email": "paula@kreis.example"}  # the very address, but not vouched for
    assert rollen.kennung_aus_claims(unbestaetigt, SETTINGS) == "mallory"
    anders = fremd | {"email_verified": True}  # verified, but another spelling: exact comparison
    assert rollen.eintrag(benutzer, rollen.kennung_aus_claims(anders, SETTINGS), exakt=True) is None
    echt = {"sub": "paula", "email": "paula@kreis.example", "email_verified": True, "name": "Paula"}
    assert rollen.person_aus_claims(echt, SETTINGS, rollen.eintrag(benutzer, "paula@kreis.example",
                                                                     exakt=True)).rolle == "bearbeiter"
    with pytest.raises(KeinZugriff, match="keine Kennung"):
        rollen.kennung_aus_claims({"email": "x@y", "email_verified": False}, SETTINGS)


def test_the_most_restrictive_area_wins_between_provider_and_role_table(demo_con):
    """Finding 2 of issue 23: claim gebiet=SR2 plus a role-table entry without area (the form's default 'alle
    Gebiete') made all six Sozialräume visible."""
    areas = queries.run_query(demo_con, "gebiete_mit_sozialraum")
    gemeinde = areas.loc[areas["sozialraum"].eq("SR2"), "code"].iloc[0]
    anderer = areas.loc[areas["ebene"].eq("sozialraum") & areas["code"].ne("SR2"), "code"].iloc[0]
    claims = {"sub": "g", "email": "gero@kreis.example", "email_verified": True, "name": "Gero", "gebiet": "SR2"}
    ohne_gebiet = {"kennung": "gero@kreis.example", "name": "Gero", "rolle": "betrachter", "gebiet": None}
    assert rollen.person_aus_claims(claims, SETTINGS, ohne_gebiet, areas).gebiet == "SR2"
    enger = ohne_gebiet | {"gebiet": gemeinde}
    assert rollen.person_aus_claims(claims, SETTINGS, enger, areas).gebiet == gemeinde
    assert rollen.person_aus_claims(claims | {"gebiet": gemeinde}, SETTINGS, ohne_gebiet | {"gebiet": "SR2"},
                                    areas).gebiet == gemeinde
    bearbeiter = ohne_gebiet | {"rolle": "bearbeiter"}  # an editor's entry does not lift the scope either
    assert (rollen.person_aus_claims(claims, SETTINGS, bearbeiter, areas).gebiet,
            rollen.person_aus_claims(claims, SETTINGS, bearbeiter, areas).rolle) == ("SR2", "betrachter")
    with pytest.raises(KeinZugriff, match="überschneiden sich nicht"):
        rollen.person_aus_claims(claims, SETTINGS, ohne_gebiet | {"gebiet": anderer}, areas)


def test_a_group_mapped_to_an_unknown_role_is_refused():
    with pytest.raises(KeinZugriff, match="sm-chef"):
        rollen.einstellungen({"gruppen": {"sm-chef": "chef"}})


def test_local_users_have_argon2_hashes_and_sign_in(tiny_copy):
    with pytest.raises(KeinZugriff, match="zu kurz"):
        verwaltung.rolle_setzen(tiny_copy, rollen.kommandozeile(), "planer", "Paula Planer", "bearbeiter", None,
                                "Laptop", passwort="kurz")
    verwaltung.rolle_setzen(tiny_copy, rollen.kommandozeile(), "Planer", "Paula Planer", "bearbeiter", None,
                            "Laptop der Sozialplanung", passwort="richtig-langes-passwort")
    table = rows(tiny_copy, "benutzer")
    row = rollen.eintrag(table, "PLANER")  # a login typed into the form: the one row of any case
    assert rollen.eintrag(table, "PLANER", exakt=True) is None
    assert row["passwort_hash"].startswith("$argon2id$") and "richtig" not in row["passwort_hash"]
    assert rollen.anmelden(row, "planer", "richtig-langes-passwort") == rollen.Person(
        "Planer", "Paula Planer", "bearbeiter", None, "lokal")
    for kennung, passwort in (("planer", "falsch-falsch-falsch"), ("niemand", "richtig-langes-passwort")):
        with pytest.raises(KeinZugriff, match="Kennung oder Passwort ist falsch"):
            rollen.anmelden(rollen.eintrag(table, kennung), kennung, passwort)
    # a later role change without a password keeps the hash
    verwaltung.rolle_setzen(tiny_copy, rollen.kommandozeile(), "Planer", "Paula Planer", "betrachter", None, "Elternzeit")
    again = rollen.eintrag(rows(tiny_copy, "benutzer"), "planer")
    assert again["passwort_hash"] == row["passwort_hash"] and again["rolle"] == "betrachter"
    assert rows(tiny_copy, "protokoll", von=None, bis=None)["aktion"].tolist() == ["rolle", "rolle"]


def test_a_scope_must_be_a_known_gemeinde_or_sozialraum_and_only_for_betrachter(tiny_copy):
    with pytest.raises(SozialmonitorFehler, match="keine bekannte Gemeinde"):
        verwaltung.rolle_setzen(tiny_copy, VERA, "gero@x", "Gero", "betrachter", "01001", "Datendienst")
    with pytest.raises(SozialmonitorFehler, match="nur für Betrachter"):
        verwaltung.rolle_setzen(tiny_copy, VERA, "gero@x", "Gero", "bearbeiter", "01001001", "Datendienst")


def test_the_laptop_user_without_sign_in_is_bearbeiter_only_on_loopback():
    assert rollen.ohne_anmeldung(nur_hier=True).rolle == "bearbeiter"
    assert rollen.ohne_anmeldung(nur_hier=False).rolle == "betrachter"
    assert rollen.ohne_anmeldung(nur_hier=True, nur_lesen=True).rolle == "betrachter"
    assert [freigabe.nur_lokal(a) for a in ("127.0.0.1", "127.3.4.5", "::1", "[::1]", "localhost", "0.0.0.0", "",
                                            None, "192.168.1.5", "sozialmonitor.kreis.de")] == [
        True, True, True, True, True, False, False, False, False, False]


def test_the_visible_areas_of_a_sozialraum_and_of_a_gemeinde(demo_con):
    areas = queries.run_query(demo_con, "gebiete_mit_sozialraum")
    sr2 = rollen.sichtbare_gebiete(replace(BEA, gebiet="SR2"), areas)
    members = set(areas.loc[areas["sozialraum"].eq("SR2"), "code"])
    assert sr2 == {"SR2", "16065", "16", "DG"} | members and len(members) > 1
    gemeinde = next(iter(members))
    assert rollen.sichtbare_gebiete(replace(BEA, gebiet=gemeinde), areas) == {gemeinde, "16065", "16", "DG"}
    assert rollen.sichtbare_gebiete(BEA, areas) is None


# ---------------------------------------------------------------- pages (AppTest) by role

def test_a_read_only_app_shows_no_data_page_not_even_by_url(app_on_demo, monkeypatch):
    monkeypatch.setenv(importer.READ_ONLY_SETTING, "1")
    at = open_page("pages/4_Daten.py").run()
    assert not at.exception
    assert "darf erst die Rolle Bearbeiter" in at.error[0].value
    assert not at.get("file_uploader") and not at.dataframe and not at.subheader
    home = open_page().run()
    assert "Daten" not in [link.label for link in home.get("page_link")]


def test_the_laptop_user_gets_the_editor_pages(app_on_demo):
    at = open_page().run()
    links = [link.label for link in at.get("page_link")]
    assert {"Daten", "Ziele bearbeiten", "Sozialindex bearbeiten", "Protokoll"} <= set(links)
    assert "Rollen" not in links
    assert any(c.value == "An diesem Rechner, ohne Anmeldung · Bearbeiter" for c in at.sidebar.caption)


def test_without_sign_in_no_os_account_is_shown_as_the_persons_identity(monkeypatch):
    """Review finding: the sidebar said "root (ohne Anmeldung)". Without sign-in the app says where the person sits;
    the OS account is recorded as an account (Protokoll, import history), never as the person's name."""
    monkeypatch.setattr(rollen, "_os_konto", lambda: "root")
    hier, anderswo = rollen.ohne_anmeldung(nur_hier=True), rollen.ohne_anmeldung(nur_hier=False)
    assert (hier.name, anderswo.name) == ("An diesem Rechner, ohne Anmeldung", "Ohne Anmeldung")
    assert "root" not in hier.name + anderswo.name
    assert hier.protokollname == "An diesem Rechner, ohne Anmeldung (Betriebssystemkonto „root“)"
    with pytest.raises(KeinZugriff, match="^Ohne Anmeldung gilt hier die Rolle Betrachter: "):
        rollen.pruefe(anderswo, "importieren")
    zeile = pd.DataFrame({"nr": [1], "zeitpunkt": [pd.Timestamp("2026-12-07 10:00")], "aktion": ["import"],
                          "gegenstand": ["x.csv"], "grund": [None], "person_kennung": ["root"],
                          "person_name": [hier.name], "anmeldung": ["ohne"], "import_id": [3]})
    assert protokoll.tabelle(zeile)["Kennung"].tolist() == ["Betriebssystemkonto „root“"]


@pytest.fixture
def local_users(demo_copy, monkeypatch):
    """The demo with local users (laptop mode with passwords): everyone signs in."""
    for kennung, name, rolle, gebiet in (("vera", "Vera Verwaltung", "verwaltung", None),
                                         ("bea", "Bea Betrachter", "betrachter", None),
                                         ("gero", "Gero Gemeinde", "betrachter", "SR2")):
        verwaltung.rolle_setzen(demo_copy, rollen.kommandozeile(), kennung, name, rolle, gebiet, "Einrichtung",
                                passwort=f"{kennung}-passwort-123")
    monkeypatch.setenv("SOZIALMONITOR_DB", str(demo_copy))
    return demo_copy


def sign_in_locally(at, kennung: str, passwort: str):
    at.text_input(key="zugang_kennung").input(kennung)
    at.text_input(key="zugang_passwort").input(passwort)
    return next(b for b in at.button if b.label == "Anmelden").click().run()


def test_local_mode_asks_everyone_to_sign_in_and_refuses_a_wrong_password(local_users, monkeypatch):
    at = open_page("pages/1_Karte.py").run()
    assert not at.exception and at.title[0].value == "Sozialmonitor – Anmeldung"
    assert not at.warning and not at.metric  # no data before the sign-in
    at = sign_in_locally(at, "vera", "falsches-passwort")
    assert "Kennung oder Passwort ist falsch" in at.error[0].value
    at = sign_in_locally(at, "vera", "vera-passwort-123")
    # the password opens a session; the browser gets its cookie from the guard's route and loads the page anew
    assert "Angemeldet" in at.success[0].value and at.title[0].value == "Sozialmonitor – Anmeldung"
    versuche = anmeldungen.ablage_der_app(local_users, {}).versuche()
    assert versuche["ergebnis"].tolist() == ["angemeldet", "falsches Passwort oder unbekannte Kennung"]
    lokal_angemeldet(monkeypatch, local_users, "vera")
    at = open_page("pages/1_Karte.py").run()
    assert at.title[0].value == "Karte"
    assert "Rollen" in [link.label for link in at.get("page_link")]


def test_session_state_does_not_make_anyone_signed_in(local_users, monkeypatch):
    """Finding 4 of issue 23: the sign-in lived in the Streamlit session (resumable by its id alone). Now only the
    browser's signed cookie of a valid session counts: a session-state key naming a user is nobody, and so is a
    valid session of a user without a password (or of nobody)."""
    verwaltung.rolle_setzen(local_users, rollen.kommandozeile(), "oidc-nutzer@kreis.example", "Olga", "verwaltung",
                            None, "nur beim Identitätsanbieter")
    for kennung in ("vera", "oidc-nutzer@kreis.example", "gibt-es-nicht"):
        at = open_page("pages/9_Rollen.py")
        at.session_state["zugang_angemeldet"] = kennung  # what the old sign-in kept in the session
        at.run()
        assert at.title[0].value == "Sozialmonitor – Anmeldung", kennung
    for kennung in ("oidc-nutzer@kreis.example", "gibt-es-nicht"):
        lokal_angemeldet(monkeypatch, local_users, kennung)
        at = open_page("pages/9_Rollen.py").run()
        assert at.title[0].value == "Sozialmonitor – Anmeldung", kennung


def test_a_locked_account_waits_even_with_the_right_password(local_users, monkeypatch):
    at = open_page("pages/1_Karte.py").run()
    for _ in range(5):
        at = sign_in_locally(at, "vera", "falsch-geraten-123")
    at = sign_in_locally(at, "vera", "vera-passwort-123")
    assert "Zu viele Fehlversuche" in at.error[0].value and not at.success
    versuche = anmeldungen.ablage_der_app(local_users, {}).versuche()
    assert versuche["ergebnis"].iloc[0] == "abgewiesen: zu viele Fehlversuche"
    assert "falsch-geraten" not in versuche.to_csv()
    lokal_angemeldet(monkeypatch, local_users, "vera")
    protokoll_seite = open_page("pages/8_Protokoll.py").run()
    assert not protokoll_seite.exception
    assert any(s.value == "Anmeldungen" for s in protokoll_seite.subheader)
    tabelle = protokoll_seite.dataframe[-1].value
    assert (tabelle["Ergebnis"] == "falsches Passwort oder unbekannte Kennung").sum() == 5
    assert set(tabelle["Kennung"]) == {"vera"}


def test_verwaltung_sets_a_role_on_the_page_and_sees_user_text_as_text(local_users, monkeypatch):
    lokal_angemeldet(monkeypatch, local_users, "vera")
    at = open_page("pages/9_Rollen.py")
    at.run()
    assert not at.exception and not at.error
    at.text_input(key="rollen_kennung").input("Fritz@Anderswo.example")
    at.text_input(key="rollen_name").input("Fritz Fremd")
    at.selectbox(key="rollen_rolle").select("bearbeiter")
    save = next(i for i, b in enumerate(at.button) if b.label == "Speichern")
    at.button[save].click().run()  # without a reason
    assert "Bitte einen Grund angeben" in at.error[0].value
    at.text_input(key="rollen_grund").input("Vertretung")
    at.button[save].click().run()
    assert "Gespeichert – Fritz\u2060@Anderswo.example: Bearbeiter" in at.success[0].value
    log = rows(local_users, "protokoll", von=None, bis=None)
    assert (log["person_name"].iloc[0], log["grund"].iloc[0], log["anmeldung"].iloc[0]) == (
        "Vera Verwaltung", "Vertretung", "lokal")
    # a Kennung with Markdown and a picture address: shown as typed, nothing fetched (finding 9)
    at.text_input(key="rollen_kennung").input("![x](http://fremd.example/p.png)**fett**")
    at.button[save].click().run()
    assert "\\!\\[x\\]" in at.success[0].value and "\\*\\*fett" in at.success[0].value


def test_a_betrachter_restricted_to_sr2_sees_only_its_areas_on_the_map(local_users, monkeypatch):
    lokal_angemeldet(monkeypatch, local_users, "gero")
    at = open_page("pages/1_Karte.py")
    at.run()
    assert not at.exception
    from conftest import map_data, served
    data = map_data(at)
    codes = sorted(f["id"] for f in served(data["geometrie"]["url"])["features"])
    assert codes == ["SR2"]
    assert "Daten" not in [link.label for link in at.get("page_link")]


def test_the_map_opens_for_a_person_restricted_to_one_gemeinde(local_users, monkeypatch):
    """Finding 8 of issue 23: the Karte's default view (level Sozialräume) raised IndexError in draw_side_panel for
    a person restricted to one Gemeinde – they see no Sozialraum. The default is now the level of their own area,
    and a level without visible values says so."""
    gebiete = rows(local_users, "gebiete_mit_sozialraum")
    gemeinde = gebiete.loc[gebiete["ebene"].eq("gemeinde"), "code"].iloc[0]
    verwaltung.rolle_setzen(local_users, rollen.kommandozeile(), "gina", "Gina Gemeinde", "betrachter", gemeinde,
                            "Datendienst", passwort="gina-passwort-123")
    lokal_angemeldet(monkeypatch, local_users, "gina")
    at = open_page("pages/1_Karte.py").run()
    assert not at.exception, [e.value for e in at.exception]
    from conftest import map_data, served
    codes = sorted(f["id"] for f in served(map_data(at)["geometrie"]["url"])["features"])
    assert codes == [gemeinde]
    at.radio(key="karte_ebene").set_value("sozialraum").run()
    assert not at.exception, [e.value for e in at.exception]
    assert any("keine Werte, die Sie sehen dürfen" in i.value for i in at.info)
