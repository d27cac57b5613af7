"""The vocabulary of referrals: where they come from, their steps, the resident, the audit."""

from enum import StrEnum


class ReferralSource(StrEnum):
    ESSEX_POLICE = "essex_police"
    ECFRS = "ecfrs"
    COUNCIL = "council"
    VICTIM_SUPPORT = "victim_support"
    COORDINATOR = "coordinator"
    SELF = "self"

    @property
    def label(self) -> str:
        return {
            "essex_police": "Essex Police",
            "ecfrs": "Essex County Fire & Rescue Service",
            "council": "Brentwood Borough Council",
            "victim_support": "Victim Support",
            "coordinator": "The coordinator",
            "self": "The resident themself",
        }[self.value]


def source_for_organisation(organisation: str) -> "ReferralSource | None":
    """A partner's likely agency from their organisation's name, to preselect on the form."""
    words = organisation.lower()
    for clue, source in (
        ("police", ReferralSource.ESSEX_POLICE),
        ("fire", ReferralSource.ECFRS),
        ("ecfrs", ReferralSource.ECFRS),
        ("victim", ReferralSource.VICTIM_SUPPORT),
        ("council", ReferralSource.COUNCIL),
    ):
        if clue in words:
            return source
    return None


PARTNER_SOURCES = (
    ReferralSource.ESSEX_POLICE,
    ReferralSource.ECFRS,
    ReferralSource.COUNCIL,
    ReferralSource.VICTIM_SUPPORT,
)


class ReferralStatus(StrEnum):
    REFERRED = "referred"
    CONTACTED = "contacted"
    VISIT_SCHEDULED = "visit_scheduled"
    VISITED = "visited"
    CLOSED = "closed"
    DECLINED = "declined"
    UNABLE_TO_CONTACT = "unable_to_contact"

    @property
    def label(self) -> str:
        return {
            "referred": "Referred",
            "contacted": "Contacted",
            "visit_scheduled": "Visit scheduled",
            "visited": "Visited",
            "closed": "Closed",
            "declined": "Declined",
            "unable_to_contact": "Unable to contact",
        }[self.value]

    @property
    def is_final(self) -> bool:
        return self in (
            ReferralStatus.CLOSED,
            ReferralStatus.DECLINED,
            ReferralStatus.UNABLE_TO_CONTACT,
        )


class Vulnerability(StrEnum):
    LIVES_ALONE = "lives_alone"
    AGED_OVER_75 = "aged_over_75"
    MOBILITY = "mobility"
    SIGHT = "sight"
    HEARING = "hearing"
    MEMORY = "memory"
    MENTAL_HEALTH = "mental_health"
    RECENT_VICTIM = "recent_victim"
    REPEAT_VICTIM = "repeat_victim"
    DOORSTEP_CRIME = "doorstep_crime"
    SCAM_TARGET = "scam_target"
    FIRE_RISK = "fire_risk"

    @property
    def label(self) -> str:
        return {
            "lives_alone": "Lives alone",
            "aged_over_75": "Aged over 75",
            "mobility": "Limited mobility",
            "sight": "Sight impairment",
            "hearing": "Hearing impairment",
            "memory": "Memory loss or dementia",
            "mental_health": "Mental health needs",
            "recent_victim": "Recent victim of crime",
            "repeat_victim": "Repeat victim of crime",
            "doorstep_crime": "Targeted by rogue traders or doorstep crime",
            "scam_target": "Targeted by scams",
            "fire_risk": "Fire risk (e.g. smoker, hoarding, no smoke alarm)",
        }[self.value]


class ContactMethod(StrEnum):
    PHONE = "phone"
    PHONE_RELATIVE = "phone_relative"
    LETTER = "letter"
    VIA_REFERRER = "via_referrer"

    @property
    def label(self) -> str:
        return {
            "phone": "Phone the resident",
            "phone_relative": "Phone a relative or carer first",
            "letter": "Write to the resident",
            "via_referrer": "Through the referring officer",
        }[self.value]


class ConsentMethod(StrEnum):
    VERBAL = "verbal"
    WRITTEN = "written"
    BY_REPRESENTATIVE = "by_representative"

    @property
    def label(self) -> str:
        return {
            "verbal": "Verbally (in person or by phone)",
            "written": "In writing (signed form or email)",
            "by_representative": "By a relative, carer or attorney on their behalf",
        }[self.value]


class AuditAction(StrEnum):
    CREATE = "create"
    VIEW = "view"
    EDIT = "edit"
    EXPORT = "export"
    STATUS = "status"
    SCHEDULE = "schedule"
    OUTCOME = "outcome"
    ERASE = "erase"
    PURGE = "purge"
    REENCRYPT = "reencrypt"

    @property
    def label(self) -> str:
        return {
            "create": "Recorded the referral",
            "view": "Viewed resident details",
            "edit": "Corrected resident details",
            "export": "Exported resident details",
            "status": "Changed the referral's status",
            "schedule": "Scheduled a visit",
            "outcome": "Recorded a visit’s outcome",
            "erase": "Erased resident details on request",
            "purge": "Removed resident details after the retention period",
            "reencrypt": "Re-encrypted with a new key",
        }[self.value]
