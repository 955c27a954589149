"""Sozialmonitor: small-area social indicators for Sozialplanung, on maps and against audit targets."""
