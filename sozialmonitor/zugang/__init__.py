"""Zugang: who may do what – persons, roles and area scope (rollen), the role table kept by Verwaltung (verwaltung)
and the audit trail of every change (protokoll). May import: basis, config, daten."""
