"""The vocabulary of events: kinds, themes, statuses and partner agencies."""

from enum import StrEnum


class EventKind(StrEnum):
    SPEEDWATCH = "speedwatch"
    ROADSHOW = "roadshow"
    SURGERY = "surgery"
    POP_UP = "pop_up"
    HOME_VISIT = "home_visit"
    # Community days, stands, public meetings, trainings: reported apart from themed pop-ups.
    OTHER_ENGAGEMENT = "other_engagement"

    @property
    def label(self) -> str:
        return {
            "speedwatch": "Community Speedwatch session",
            "roadshow": "Community Safety Roadshow",
            "surgery": "Neighbourhood Watch surgery",
            "pop_up": "Pop-up engagement event",
            "home_visit": "Home visit",
            "other_engagement": "Other engagement (community day, stand, meeting, training)",
        }[self.value]

    @property
    def plural_label(self) -> str:
        return {
            "speedwatch": "Community Speedwatch sessions",
            "roadshow": "Community Safety Roadshows",
            "surgery": "Neighbourhood Watch surgeries",
            "pop_up": "Pop-up engagement events",
            "home_visit": "Home visits",
            "other_engagement": "Other engagement (community days, stands, meetings, trainings)",
        }[self.value]


class Theme(StrEnum):
    HATE_CRIME = "hate_crime"
    KNIFE_CRIME = "knife_crime"
    ROGUE_TRADERS = "rogue_traders"
    ROAD_SAFETY = "road_safety"
    RURAL_CRIME = "rural_crime"
    BURGLARY = "burglary"
    SCAMS = "scams"
    DOMESTIC_ABUSE = "domestic_abuse"
    ANTISOCIAL_BEHAVIOUR = "antisocial_behaviour"
    CYCLE_THEFT = "cycle_theft"
    GANGS = "gangs"
    DRINK_DRUG_DRIVING = "drink_drug_driving"
    LONELINESS = "loneliness"
    GENERAL = "general"

    @property
    def label(self) -> str:
        special = {
            "antisocial_behaviour": "Anti-social behaviour",
            "drink_drug_driving": "Drink and drug driving",
            "general": "General community safety",
        }
        return special.get(self.value, self.value.replace("_", " ").capitalize())


class EventStatus(StrEnum):
    PLANNED = "planned"
    CONFIRMED = "confirmed"
    CANCELLED = "cancelled"
    COMPLETED = "completed"

    @property
    def label(self) -> str:
        return self.value.capitalize()


class PartnerAgency(StrEnum):
    ESSEX_POLICE = "essex_police"
    ECFRS = "ecfrs"
    COUNCIL = "council"
    NHW = "nhw"
    VICTIM_SUPPORT = "victim_support"
    CRIMESTOPPERS = "crimestoppers"
    YOUTH_SERVICE = "youth_service"
    PARISH_COUNCIL = "parish_council"
    CHURCHES = "churches"

    @property
    def label(self) -> str:
        return {
            "essex_police": "Essex Police",
            "ecfrs": "Essex County Fire & Rescue Service",
            "council": "Brentwood Borough Council",
            "nhw": "Neighbourhood Watch",
            "victim_support": "Victim Support",
            "crimestoppers": "Crimestoppers",
            "youth_service": "Essex Youth Service",
            "parish_council": "Parish council",
            "churches": "Local churches",
        }[self.value]
