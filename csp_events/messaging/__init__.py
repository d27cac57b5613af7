"""Messaging: the coordinator writes to the people on a session, a series, or chosen volunteers,
by email and text message (GOV.UK Notify), and sees who received it."""
