"""Brentwood's shared kit for the demo: the Town Hall speed gun, cameras and Speedwatch kit."""

from datetime import date, time, timedelta

from ..auth.models import User
from ..equipment.custody import check_out
from ..equipment.models import EquipmentItem
from ..equipment.services import BookingConflict, BookingRefused
from ..equipment.speedwatch import book_gun_for_session
from ..equipment.vocabulary import Condition, EquipmentKind, ItemStatus
from ..events.models import Event
from ..events.vocabulary import EventKind
from ..extensions import db
from ..people.vocabulary import QualificationKind
from ..timezones import utcnow

TOWN_HALL = "Brentwood Town Hall, community safety office"
CCTV_ROOM = "CCTV control room, Town Hall"


def load_equipment(today: date, coordinator: User, volunteers: list[User]) -> None:
    gun = EquipmentItem(
        name="Speed gun (Town Hall)",
        kind=EquipmentKind.SPEED_GUN,
        serial_number="LTI-20-20-7731",
        kept_at=TOWN_HALL,
        required_qualification=QualificationKind.SPEEDWATCH,
        calibration_certificate="CAL-2026-0412",
        calibration_expires_on=today + timedelta(days=150),
        handover_days="0,1,2,3,4,5",
        handover_opens=time(8, 30),
        handover_closes=time(17),
        max_booking_hours=72,
        handover_buffer_minutes=30,
        notes="Speedwatch co-ordinated by the community safety team. Sign the log when collecting.",
    )
    db.session.add(gun)
    db.session.add(
        EquipmentItem(
            name="Speedwatch signs and hi-vis set",
            kind=EquipmentKind.SPEEDWATCH_KIT,
            kept_at=TOWN_HALL,
            required_qualification=QualificationKind.SPEEDWATCH,
            handover_buffer_minutes=0,
        )
    )
    for n in range(1, 7):
        db.session.add(
            EquipmentItem(
                name=f"Body-worn camera {n}",
                kind=EquipmentKind.BODY_WORN_CAMERA,
                kept_at=CCTV_ROOM,
                serial_number=f"BWC-{n:03d}",
                volunteers_may_book=False,
                handover_days="0,1,2,3,4,5,6",
                handover_opens=time(7),
                handover_closes=time(22),
            )
        )
    for n in range(1, 11):
        db.session.add(
            EquipmentItem(
                name=f"Mobile CCTV camera {n}",
                kind=EquipmentKind.MOBILE_CCTV,
                kept_at=CCTV_ROOM,
                serial_number=f"MCC-{n:03d}",
                volunteers_may_book=False,
                max_booking_hours=24 * 28,
                status=ItemStatus.OUT_OF_SERVICE if n == 10 else ItemStatus.AVAILABLE,
                out_of_service_reason="Housing cracked; awaiting repair" if n == 10 else "",
            )
        )
    for n in range(1, 4):
        db.session.add(
            EquipmentItem(
                name=f"Rural trail camera {n}",
                kind=EquipmentKind.TRAIL_CAMERA,
                kept_at=TOWN_HALL,
                volunteers_may_book=False,
                max_booking_hours=24 * 28,
                notes="For fly-tipping hotspots with the rural community officer.",
            )
        )
    db.session.commit()
    _book_speedwatch_sessions(coordinator)
    trail = db.session.execute(
        db.select(EquipmentItem).filter_by(name="Rural trail camera 1")
    ).scalar_one()
    check_out(
        trail,
        collected_by=coordinator,
        condition=Condition.GOOD,
        due_back_at=utcnow() + timedelta(days=5),
        notes="Deployed at Coxtie Green Road lay-by",
    )


def _book_speedwatch_sessions(coordinator: User) -> None:
    """Book the gun for each upcoming session; a weekend one has it from Saturday to Monday."""
    sessions = (
        db.session.execute(
            db.select(Event).where(Event.kind == EventKind.SPEEDWATCH, Event.starts_at > utcnow())
        )
        .scalars()
        .all()
    )
    for session in sessions:
        try:
            book_gun_for_session(session, coordinator)
            db.session.commit()
        except (BookingConflict, BookingRefused):
            db.session.rollback()
