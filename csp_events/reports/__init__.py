"""The partnership's reports: figures for any period, with charts, printable and as CSV."""
