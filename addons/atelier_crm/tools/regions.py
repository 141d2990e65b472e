# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""French regions from a postcode (its department), for fit scoring."""

REGIONS = [
    ("ara", "Auvergne-Rhône-Alpes"),
    ("bfc", "Bourgogne-Franche-Comté"),
    ("bre", "Brittany"),
    ("cvl", "Centre-Val de Loire"),
    ("cor", "Corsica"),
    ("ges", "Grand Est"),
    ("hdf", "Hauts-de-France"),
    ("idf", "Île-de-France"),
    ("nor", "Normandy"),
    ("naq", "New Aquitaine"),
    ("occ", "Occitania"),
    ("pdl", "Pays de la Loire"),
    ("pac", "Provence-Alpes-Côte d'Azur"),
    ("dom", "Overseas France"),
    ("abroad", "Abroad"),
]

_DEPARTMENTS = {
    "ara": "01 03 07 15 26 38 42 43 63 69 73 74",
    "bfc": "21 25 39 58 70 71 89 90",
    "bre": "22 29 35 56",
    "cvl": "18 28 36 37 41 45",
    "cor": "20",
    "ges": "08 10 51 52 54 55 57 67 68 88",
    "hdf": "02 59 60 62 80",
    "idf": "75 77 78 91 92 93 94 95",
    "nor": "14 27 50 61 76",
    "naq": "16 17 19 23 24 33 40 47 64 79 86 87",
    "occ": "09 11 12 30 31 32 34 46 48 65 66 81 82",
    "pdl": "44 49 53 72 85",
    "pac": "04 05 06 13 83 84",
    "dom": "97 98",
}
_REGION_OF = {
    department: region
    for region, departments in _DEPARTMENTS.items()
    for department in departments.split()
}


def region_of(zip_code, country_code="FR"):
    """Region key of a postcode, ``"abroad"`` outside France, None unknown."""
    if country_code and country_code != "FR":
        return "abroad"
    digits = "".join(ch for ch in (zip_code or "") if ch.isdigit())
    if len(digits) != 5:
        return None
    return _REGION_OF.get(digits[:2])
