"""Home visits for vulnerable residents: referrals, safe visiting, protected resident data."""
