"""Rotas: who is on which session, printable and as CSV."""
