"""Importing past activity from a spreadsheet (CSV), all or nothing."""
