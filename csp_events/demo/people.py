"""Fictional volunteers and partner officers for the demo (places are real, people are not)."""

S, H, D = "speedwatch", "home_visit", "dbs"

# name, ward, [(qualification, months until expiry; 0 = expires in 12 days)]
VOLUNTEERS = [
    ("Margaret Hughes", "Brentwood South", [(S, 14), (H, 10), (D, 20)]),
    ("David Okafor", "Shenfield", [(S, 9)]),
    ("Patricia Lawson", "Hutton East", [(S, 18), (D, 30)]),
    ("Graham Whitfield", "Warley", [(S, 0)]),
    ("Anne-Marie Doyle", "Brentwood North", [(S, 6), (H, 11), (D, 15)]),
    ("Kevin Marsh", "Pilgrims Hatch", [(S, -2)]),
    ("Susan Clarke", "Ingatestone, Fryerning & Mountnessing", [(H, 7), (D, 9)]),
    ("Rajesh Nair", "Brentwood West", [(S, 12)]),
    ("Brenda Fowler", "Hutton North", [(S, -5), (D, -1)]),
    ("Colin Barrett", "Herongate, Ingrave & West Horndon", [(S, 22)]),
    ("Jean Morrison", "Shenfield", []),
    ("Terry Palmer", "Brizes & Doddinghurst", [(S, 4), (H, 0), (D, 13)]),
    ("Helen Osei", "Tipps Cross", [(S, 16)]),
    ("Frank Adeyemi", "Hutton South", [(H, 8), (D, 0)]),
    ("Linda Carver", "Warley", [(S, 3)]),
    ("Michael Brennan", "Brentwood South", []),
    ("Pauline Grant", "Hutton East", [(S, 11), (D, 24)]),
    ("Stuart Kemp", "Pilgrims Hatch", [(S, -1)]),
    ("Yvonne Rees", "Ingatestone, Fryerning & Mountnessing", [(H, 5), (D, 5)]),
    ("Ahmed Siddiqui", "Brentwood North", [(S, 20)]),
]

PARTNERS = [
    ("PC Imran Khan", "pc.khan@police.example", "Essex Police, community policing team"),
    ("PCSO Laura Bright", "pcso.bright@police.example", "Essex Police"),
    ("Watch Manager Tom Reid", "tom.reid@ecfrs.example", "Essex County Fire & Rescue Service"),
]
