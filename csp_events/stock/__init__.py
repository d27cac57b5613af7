"""The crime-prevention stock ledger: deliveries in, issues out per event, adjustments."""
