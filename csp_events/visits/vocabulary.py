"""The vocabulary of a home visit: the measures fitted, the advice given, onward referrals."""

from enum import StrEnum


class Measure(StrEnum):
    DOOR_CHAIN = "door_chain"
    DOOR_VIEWER = "door_viewer"
    CO_DETECTOR = "co_detector"
    WINDOW_LOCKS = "window_locks"
    TIMER_SWITCH = "timer_switch"
    DOOR_ALARM = "door_alarm"
    LETTERBOX_CAGE = "letterbox_cage"
    PROPERTY_MARKING = "property_marking"
    NO_COLD_CALLING_STICKER = "no_cold_calling_sticker"
    CALL_BLOCKER = "call_blocker"

    @property
    def label(self) -> str:
        return {
            "door_chain": "Door chain",
            "door_viewer": "Door viewer",
            "co_detector": "Carbon-monoxide detector",
            "window_locks": "Window locks",
            "timer_switch": "Timer switch",
            "door_alarm": "Door or window alarm",
            "letterbox_cage": "Letterbox cage",
            "property_marking": "Property marking",
            "no_cold_calling_sticker": "No cold calling sticker",
            "call_blocker": "Call blocker",
        }[self.value]


class Advice(StrEnum):
    DOORSTEP = "doorstep"
    SCAMS = "scams"
    HOME_SECURITY = "home_security"
    FIRE_SAFETY = "fire_safety"
    ONLINE_SAFETY = "online_safety"
    NEIGHBOURHOOD_WATCH = "neighbourhood_watch"

    @property
    def label(self) -> str:
        return {
            "doorstep": "Doorstep callers and rogue traders",
            "scams": "Phone and postal scams",
            "home_security": "Home security",
            "fire_safety": "Fire safety",
            "online_safety": "Online safety",
            "neighbourhood_watch": "Joining Neighbourhood Watch",
        }[self.value]


class OnwardReferral(StrEnum):
    ECFRS_HOME_FIRE_SAFETY = "ecfrs_home_fire_safety"
    VICTIM_SUPPORT = "victim_support"
    ADULT_SOCIAL_CARE = "adult_social_care"
    AGE_UK = "age_uk"
    TRADING_STANDARDS = "trading_standards"

    @property
    def label(self) -> str:
        return {
            "ecfrs_home_fire_safety": "ECFRS home fire safety visit",
            "victim_support": "Victim Support",
            "adult_social_care": "Adult social care",
            "age_uk": "Age UK Essex",
            "trading_standards": "Trading Standards",
        }[self.value]
