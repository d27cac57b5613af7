"""Home-visit referrals: the workflow from referral to closure, who may see a resident, the audit
trail, and the resident's rights over their details (export, erasure, retention)."""
