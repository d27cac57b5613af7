"""The vocabulary of outcomes: audiences, Speedwatch weather, where an outcome came from."""

from enum import StrEnum


class Audience(StrEnum):
    SCHOOL = "school"
    NURSERY = "nursery"
    SHELTERED_SCHEME = "sheltered_scheme"
    CLUB = "club"
    PUBLIC = "public"

    @property
    def label(self) -> str:
        return {
            "school": "School",
            "nursery": "Nursery",
            "sheltered_scheme": "Sheltered housing scheme",
            "club": "Club or group",
            "public": "General public",
        }[self.value]


class Weather(StrEnum):
    DRY = "dry"
    OVERCAST = "overcast"
    LIGHT_RAIN = "light_rain"
    HEAVY_RAIN = "heavy_rain"
    FOG = "fog"
    SNOW_OR_ICE = "snow_or_ice"

    @property
    def label(self) -> str:
        return {
            "dry": "Dry and bright",
            "overcast": "Dry, overcast",
            "light_rain": "Light rain",
            "heavy_rain": "Heavy rain",
            "fog": "Fog or mist",
            "snow_or_ice": "Snow or ice",
        }[self.value]


class OutcomeSource(StrEnum):
    RECORDED = "recorded"
    IMPORTED = "imported"

    @property
    def label(self) -> str:
        return {"recorded": "Recorded after the event", "imported": "Imported"}[self.value]
