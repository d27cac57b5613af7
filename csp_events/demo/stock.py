"""The partnership's crime-prevention items for the demo, and who funds them."""

PFCC = "Police, Fire and Crime Commissioner for Essex"
COUNCIL = "Brentwood Borough Council community safety team"

# name, description, low-stock level
ITEMS = [
    ("Window alarms", "Battery window and door alarms", 10),
    ("ID magnifiers", "Card magnifiers to check a caller's ID", 20),
    ("Personal alarms", "Pull-pin personal attack alarms", 20),
    ("Purse bells", "Bells that ring when a purse is lifted", 25),
    ("Purse cables", "Cables clipping a purse to a bag", 15),
    ("Property marker pens", "UV pens for marking property", 20),
    ("Timer switches", "Plug-in light timers for winter evenings", 10),
    ("Sat-nav cloths", "Cloths to wipe the sucker ring off the windscreen", 20),
    ("Key-ring torches", "Small torches for dark evenings", 20),
    ("Leaflets and booklets", "Lock ’em Out, scam and community safety booklets", 100),
    ("Door chains", "Fitted at home visits", 5),
    ("Carbon monoxide detectors", "Fitted at home visits with ECFRS", 5),
]
