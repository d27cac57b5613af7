"""Outcomes after events: who came and for how long, people reached, Speedwatch counts."""
